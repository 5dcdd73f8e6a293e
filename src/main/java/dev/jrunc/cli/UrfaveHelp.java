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
 *
 * <p>Where a command's text comes from: its first description line is NAME's summary; its
 * {@code header} is urfave's ArgsUsage text, printed under the USAGE line as runc does ("Where
 * ..." and, for some commands, an EXAMPLE: paragraph); the other description lines are
 * DESCRIPTION, whose first line only is indented (urfave v1's template: a paragraph of the
 * description may start a section of its own, such as spec's EXAMPLE:). OPTIONS lists the
 * visible options but not -h/--help (urfave does not list a command's help flag), and is left
 * out, with the USAGE line's "[command options]", when there is none.
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
            // the map has a key per alias: one row per command, "help, h"
            for (CommandLine sub : new java.util.LinkedHashSet<>(spec.subcommands().values())) {
                CommandSpec c = sub.getCommandSpec();
                String[] d = c.usageMessage().description();
                List<String> names = new ArrayList<>(List.of(c.name()));
                names.addAll(List.of(c.aliases()));
                commands.add(new String[] {String.join(", ", names), d.length == 0 ? "" : d[0]});
            }
            table(out, "COMMANDS", commands);
            table(out, "GLOBAL OPTIONS", options(spec));
        } else {
            List<String[]> options = options(spec);
            StringBuilder usage = new StringBuilder(spec.qualifiedName());
            if (!options.isEmpty()) {
                usage.append(" [command options]");
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                usage.append(' ').append(p.paramLabel());
            }
            if (spec.positionalParameters().isEmpty()) {
                usage.append(" [arguments...]"); // urfave's ArgsUsage when a command names none
            }
            String[] argsUsage = spec.usageMessage().header();
            if (argsUsage.length > 0) {
                usage.append("\n\n").append(String.join("\n", argsUsage));
            }
            firstLineIndented(out, "USAGE", usage.toString());
            if (description.length > 1) {
                firstLineIndented(out, "DESCRIPTION", String.join("\n", List.of(description).subList(1, description.length)));
            }
            table(out, "OPTIONS", options);
        }
        return out.toString();
    }

    private static List<String[]> options(CommandSpec spec) {
        List<String[]> rows = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || (spec.parent() != null && o.usageHelp())) {
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

    /** urfave v1's "   {{.Text}}": the first line indented, the others as written. */
    private static void firstLineIndented(StringBuilder out, String title, String body) {
        out.append(title).append(":\n").append(INDENT).append(body).append("\n\n");
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
