package cdna.check;

import cdna.json.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLC configuration file, read strictly enough to catch mistakes before TLC
 * does (TLC's own errors for a bad cfg are terse and name no line), and
 * rewritten to select a design and the properties of one run.
 *
 * Accepted: CONSTANT(S) with one "Name = value" or "Name <- Definition" per
 * line; SPECIFICATION, INIT, NEXT, SYMMETRY, VIEW, CONSTRAINT(S),
 * ACTION_CONSTRAINT(S), INVARIANT(S), PROPERTY/PROPERTIES, CHECK_DEADLOCK;
 * comments \* ... and (* ... *).
 */
public final class Cfg {
    /** A constant: value is the TLC text after "=" (or the definition after "<-"). */
    public record Constant(String name, boolean substitution, String value, int line) {}

    private static final Set<String> SINGLE = Set.of("SPECIFICATION", "INIT", "NEXT", "SYMMETRY", "VIEW", "CHECK_DEADLOCK");
    private static final Set<String> LISTS = Set.of("INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES",
            "CONSTRAINT", "CONSTRAINTS", "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ASSIGN = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*(=|<-)\\s*(.+)$");

    private final String source;
    private final Map<String, Constant> constants;
    private final Map<String, String> single;
    private final List<String> invariants;
    private final List<String> properties;
    private final List<String> constraints;
    private final List<String> actionConstraints;

    private Cfg(String source, Map<String, Constant> constants, Map<String, String> single, List<String> invariants,
                List<String> properties, List<String> constraints, List<String> actionConstraints) {
        this.source = source;
        this.constants = constants;
        this.single = single;
        this.invariants = invariants;
        this.properties = properties;
        this.constraints = constraints;
        this.actionConstraints = actionConstraints;
    }

    public static Cfg read(Path file) throws InputException {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": configuration file not found");
        }
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
    }

    public static Cfg parse(String source, String text) throws InputException {
        String[] lines = stripComments(source, text).split("\n", -1);
        Map<String, Constant> constants = new LinkedHashMap<>();
        Map<String, String> single = new LinkedHashMap<>();
        List<String> inv = new ArrayList<>();
        List<String> prop = new ArrayList<>();
        List<String> cons = new ArrayList<>();
        List<String> acons = new ArrayList<>();
        String section = null;
        int sectionLine = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String l = lines[i].trim();
            if (l.isEmpty()) continue;
            String first = l.split("\\s+", 2)[0];
            String rest = l.length() > first.length() ? l.substring(first.length()).trim() : "";
            if (first.equals("CONSTANT") || first.equals("CONSTANTS")) {
                section = "CONSTANTS";
                sectionLine = lineNo;
                if (!rest.isEmpty()) constant(source, lineNo, rest, constants);
                continue;
            }
            if (SINGLE.contains(first)) {
                section = first;
                sectionLine = lineNo;
                if (!rest.isEmpty()) {
                    putSingle(source, lineNo, first, rest, single);
                    section = null;
                }
                continue;
            }
            if (LISTS.contains(first)) {
                section = first;
                sectionLine = lineNo;
                for (String item : rest.isEmpty() ? new String[0] : rest.split("\\s+")) {
                    listItem(source, lineNo, first, item, inv, prop, cons, acons);
                }
                continue;
            }
            if (first.equals("POSTCONDITION") || first.equals("ALIAS")) {
                throw new InputException(source + ":" + lineNo + ": " + first
                        + " is not supported by the TLC served here (see TLC-NOTES.md)");
            }
            if (section == null) {
                throw new InputException(source + ":" + lineNo + ": expected a cfg keyword (CONSTANTS, SPECIFICATION, "
                        + "INVARIANT, PROPERTY, ...), found \"" + first + "\"");
            }
            if (section.equals("CONSTANTS")) {
                constant(source, lineNo, l, constants);
            } else if (SINGLE.contains(section)) {
                putSingle(source, lineNo, section, l, single);
                section = null;
            } else {
                for (String item : l.split("\\s+")) listItem(source, lineNo, section, item, inv, prop, cons, acons);
            }
        }
        if (section != null && SINGLE.contains(section)) {
            throw new InputException(source + ":" + sectionLine + ": " + section + " needs a name after it");
        }
        boolean spec = single.containsKey("SPECIFICATION");
        boolean initNext = single.containsKey("INIT") && single.containsKey("NEXT");
        if (!spec && !initNext) {
            throw new InputException(source + ":" + Math.max(1, lines.length) + ": expected SPECIFICATION (or INIT and NEXT), found neither");
        }
        return new Cfg(source, constants, single, inv, prop, cons, acons);
    }

    private static void constant(String source, int lineNo, String text, Map<String, Constant> out) throws InputException {
        Matcher m = ASSIGN.matcher(text);
        if (!m.matches()) {
            throw new InputException(source + ":" + lineNo + ": expected \"Name = value\" or \"Name <- Definition\", found \""
                    + text + "\"");
        }
        String value = m.group(3).trim();
        if (!balanced(value)) {
            throw new InputException(source + ":" + lineNo + ": unbalanced brackets in the value of " + m.group(1)
                    + " (one constant per line)");
        }
        if (out.containsKey(m.group(1))) {
            throw new InputException(source + ":" + lineNo + ": constant " + m.group(1) + " is given twice");
        }
        out.put(m.group(1), new Constant(m.group(1), m.group(2).equals("<-"), value, lineNo));
    }

    private static void putSingle(String source, int lineNo, String key, String value, Map<String, String> out)
            throws InputException {
        if (!IDENT.matcher(value).matches()) {
            throw new InputException(source + ":" + lineNo + ": expected one name after " + key + ", found \"" + value + "\"");
        }
        if (out.put(key, value) != null) {
            throw new InputException(source + ":" + lineNo + ": " + key + " is given twice");
        }
    }

    private static void listItem(String source, int lineNo, String section, String item, List<String> inv,
                                 List<String> prop, List<String> cons, List<String> acons) throws InputException {
        if (!IDENT.matcher(item).matches()) {
            throw new InputException(source + ":" + lineNo + ": expected a definition name under " + section
                    + ", found \"" + item + "\"");
        }
        if (section.startsWith("INVARIANT")) inv.add(item);
        else if (section.startsWith("PROPERT")) prop.add(item);
        else if (section.startsWith("ACTION")) acons.add(item);
        else cons.add(item);
    }

    private static boolean balanced(String v) {
        int depth = 0;
        boolean str = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') str = !str;
            if (str) continue;
            if (c == '{' || c == '[' || c == '(') depth++;
            if (c == '}' || c == ']' || c == ')') depth--;
            if (depth < 0) return false;
        }
        return depth == 0 && !str;
    }

    private static String stripComments(String source, String text) throws InputException {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int line = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith("(*", i)) {
                int start = line;
                int end = text.indexOf("*)", i + 2);
                if (end < 0) throw new InputException(source + ":" + start + ": comment (* is never closed");
                for (int k = i; k < end + 2; k++) {
                    if (text.charAt(k) == '\n') { out.append('\n'); line++; }
                }
                i = end + 2;
            } else if (text.startsWith("\\*", i)) {
                while (i < text.length() && text.charAt(i) != '\n') i++;
            } else {
                if (c == '\n') line++;
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    public String source() { return source; }
    public Map<String, Constant> constants() { return constants; }
    public List<String> invariants() { return invariants; }
    public List<String> properties() { return properties; }
    public boolean hasConstant(String name) { return constants.containsKey(name); }

    /** Model values named on the right of "=": identifiers that are not themselves constants. */
    public Set<String> modelValues() {
        Set<String> out = new LinkedHashSet<>();
        for (Constant c : constants.values()) {
            if (c.substitution()) continue;
            Matcher m = IDENT.matcher(c.value().replaceAll("\"[^\"]*\"", ""));
            while (m.find()) {
                String id = m.group();
                if (!id.equals("TRUE") && !id.equals("FALSE") && !constants.containsKey(id)) out.add(id);
            }
        }
        return out;
    }

    /**
     * The text of a cfg for one run: constants overridden by {@code overrides}
     * (each must already be a constant here), the given invariants and
     * properties instead of this file's, and the rest kept.
     */
    public String render(Map<String, String> overrides, List<String> invs, List<String> props, String comment) {
        return render(overrides, invs, props, comment, true);
    }

    /** As {@link #render(Map, List, List, String)}, optionally without the SYMMETRY line (to measure what it buys). */
    public String render(Map<String, String> overrides, List<String> invs, List<String> props, String comment,
                         boolean symmetry) {
        StringBuilder sb = new StringBuilder();
        sb.append("\\* Generated by cdna from ").append(source).append('\n');
        if (comment != null) sb.append("\\* ").append(comment.replace("\n", " ")).append('\n');
        sb.append("CONSTANTS\n");
        for (Constant c : constants.values()) {
            String v = overrides.getOrDefault(c.name(), c.value());
            sb.append("  ").append(c.name()).append(c.substitution() ? " <- " : " = ").append(v).append('\n');
        }
        for (String k : List.of("SPECIFICATION", "INIT", "NEXT", "SYMMETRY", "VIEW", "CHECK_DEADLOCK")) {
            if (k.equals("SYMMETRY") && !symmetry) continue;
            if (single.containsKey(k)) sb.append(k).append(' ').append(single.get(k)).append('\n');
        }
        for (String c : constraints) sb.append("CONSTRAINT ").append(c).append('\n');
        for (String c : actionConstraints) sb.append("ACTION_CONSTRAINT ").append(c).append('\n');
        for (String i : invs) sb.append("INVARIANT ").append(i).append('\n');
        for (String p : props) sb.append("PROPERTY ").append(p).append('\n');
        return sb.toString();
    }

    /** A cfg for replaying a trace: these constants, plus each model value as a constant of its own name. */
    public String renderForExplain(Map<String, String> overrides, Set<String> extraModelValues, String spec, String invariant) {
        StringBuilder sb = new StringBuilder("\\* Generated by cdna to label a counterexample of ").append(source).append('\n');
        sb.append("CONSTANTS\n");
        for (String mv : extraModelValues) sb.append("  ").append(mv).append(" = ").append(mv).append('\n');
        for (Constant c : constants.values()) {
            String v = overrides.getOrDefault(c.name(), c.value());
            sb.append("  ").append(c.name()).append(c.substitution() ? " <- " : " = ").append(v).append('\n');
        }
        sb.append("SPECIFICATION ").append(spec).append('\n');
        sb.append("INVARIANT ").append(invariant).append('\n');
        return sb.toString();
    }
}
