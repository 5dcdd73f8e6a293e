package dev.jrunc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Help in urfave/cli's layout, which runc prints and scripts grep: NAME, USAGE, VERSION,
 * COMMANDS, GLOBAL OPTIONS for the app; NAME, USAGE, DESCRIPTION, OPTIONS for a command. An
 * option is shown as urfave shows it ({@code --bundle value, -b value}), with its default.
 */
final class UrfaveHelp {
    private static final String KEY = "urfave";
    private static final String INDENT = "   ";

    private UrfaveHelp() {}

    /** Makes every command of the tree print this layout for -h/--help, and gives each command -h/--help. */
    static void install(CommandLine root) {
        for (CommandLine sub : root.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.findOption("--help") == null) {
                spec.addOption(OptionSpec.builder("--help", "-h").usageHelp(true).description("show help").build());
            }
        }
        root.setHelpSectionKeys(List.of(KEY));
        Map<String, CommandLine.IHelpSectionRenderer> map = root.getHelpSectionMap();
        map.put(KEY, help -> render(help.commandSpec()));
        root.setHelpSectionMap(map);
    }

    static String render(CommandSpec spec) {
        boolean app = spec.parent() == null;
        StringBuilder out = new StringBuilder();
        String[] description = spec.usageMessage().description();
        String summary = description.length == 0 ? "" : description[0];
        section(out, "NAME", spec.qualifiedName() + (summary.isEmpty() ? "" : " - " + summary));
        if (app) {
            section(out, "USAGE", spec.qualifiedName() + " [global options] command [command options] [arguments...]");
            section(out, "VERSION", String.join("\n", spec.version()));
            List<String[]> commands = new ArrayList<>();
            for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
                String[] d = e.getValue().getCommandSpec().usageMessage().description();
                commands.add(new String[] {e.getKey(), d.length == 0 ? "" : d[0]});
            }
            table(out, "COMMANDS", commands);
            table(out, "GLOBAL OPTIONS", options(spec));
        } else {
            StringBuilder usage = new StringBuilder(spec.qualifiedName());
            if (!spec.options().isEmpty()) {
                usage.append(" [command options]");
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                usage.append(' ').append(p.paramLabel());
            }
            section(out, "USAGE", usage.toString());
            if (description.length > 1) {
                section(out, "DESCRIPTION", String.join("\n", List.of(description).subList(1, description.length)));
            }
            table(out, "OPTIONS", options(spec));
        }
        return out.toString();
    }

    private static List<String[]> options(CommandSpec spec) {
        List<String[]> rows = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            // urfave: the long name first, "value" after each name of an option that takes one
            boolean flag = o.typeInfo().isBoolean();
            List<String> names = new ArrayList<>(List.of(o.names()));
            names.sort((a, b) -> Integer.compare(b.length(), a.length()));
            List<String> shown = new ArrayList<>();
            for (String n : names) {
                shown.add(flag ? n : n + " value");
            }
            String text = String.join(" ", o.description());
            String def = o.defaultValue();
            if (!flag && def != null && !def.isEmpty() && !text.contains("(default")) {
                text += " (default: " + def + ")";
            }
            rows.add(new String[] {String.join(", ", shown), text});
        }
        return rows;
    }

    private static void section(StringBuilder out, String title, String body) {
        out.append(title).append(":\n");
        for (String line : body.split("\n", -1)) {
            out.append(INDENT).append(line).append('\n');
        }
        out.append('\n');
    }

    private static void table(StringBuilder out, String title, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        out.append(title).append(":\n");
        for (String[] r : rows) {
            out.append(INDENT).append(r[0]).append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append('\n');
        }
        out.append('\n');
    }
}
