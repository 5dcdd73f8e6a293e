package dev.jrunc.cli;

import java.util.List;

/**
 * Aligns cells as Go's {@code tabwriter.NewWriter(out, 12, 1, 3, ' ', 0)} does for runc's
 * tables: each column but the last is as wide as its widest cell plus 3, and at least 12.
 */
final class TabWriter {
    private static final int MIN_WIDTH = 12;
    private static final int PADDING = 3;

    private TabWriter() {}

    static String format(List<String[]> lines) {
        int columns = lines.get(0).length;
        int[] widths = new int[columns];
        for (String[] line : lines) {
            for (int c = 0; c < columns - 1; c++) {
                widths[c] = Math.max(widths[c], Math.max(MIN_WIDTH, line[c].length() + PADDING));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            for (int c = 0; c < columns - 1; c++) {
                out.append(line[c]).append(" ".repeat(widths[c] - line[c].length()));
            }
            out.append(line[columns - 1]).append('\n');
        }
        return out.toString();
    }
}
