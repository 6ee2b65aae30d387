package cdna.check;

import cdna.design.Design;
import cdna.design.Switch;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.json.LocatedJson.Node;
import cdna.json.LocatedJson.Obj;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * model-check/manifest.json: every model TLC checks, which designs each one
 * applies to, and the known designs' expected verdicts (the regression suite).
 *
 * <p>A <em>model</em> ({@link Template}) is a root module and cfg with the
 * bounds they explore.  Its {@code appliesTo} clauses say which designs it can
 * check, so {@code bin/cdna certify} finds every model for any design file
 * without anyone editing this file.  Under {@code designs}, each known design
 * has the verdict every property must get and the size of a complete
 * exploration; each such pair is one {@link Model} run, named
 * {@code model--design}.  A malformed entry does not stop the others: it
 * becomes an {@link Entry} carrying its error, which the checker reports as an
 * error verdict naming the file and line.
 */
public final class Manifest {
    /** The verdict a property is expected to get. */
    public enum Expect { holds, violated }

    /** The pseudo-property a manifest may expect of a cfg checked for deadlock (TLC's default). */
    public static final String DEADLOCK = "Deadlock";

    /**
     * A property, named once for the whole project.
     *
     * @param requiredFor the protection modes ("software", "iommu") whose designs must keep it
     * @param java        where the Java isolation checker judges it (null: checked on the spec only)
     */
    /**
     * A property of the catalogue.  {@code brokenBy} names what violates it when no design file does
     * (a spec mutant in a test: Class#method and what it changes); null when a known-bad design does.
     */
    public record Property(String name, Set<String> requiredFor, String java, String brokenBy) {}

    /**
     * One model: a root module and cfg under model-check/ and the designs it can check.
     *
     * @param appliesTo     clauses of switch values; a design is checked here if it matches every switch of one clause
     * @param notApplicable why the designs no clause matches cannot be checked here (null: the clauses say it)
     * @param bounds        the bounds in words, for reports
     */
    public record Template(String name, String profile, String module, String cfg, List<Map<Switch, Set<Object>>> appliesTo,
                           String notApplicable, String bounds, int timeBudgetSeconds, String notes, String where,
                           double seconds, Vacuity vacuity) {
        public Template(String name, String profile, String module, String cfg, List<Map<Switch, Set<Object>>> appliesTo,
                        String notApplicable, String bounds, int timeBudgetSeconds, String notes, String where) {
            this(name, profile, module, cfg, appliesTo, notApplicable, bounds, timeBudgetSeconds, notes, where, 0, null);
        }

        public boolean appliesTo(Design d) {
            for (Map<Switch, Set<Object>> clause : appliesTo) {
                boolean all = true;
                for (var e : clause.entrySet()) all &= e.getValue().contains(d.get(e.getKey()));
                if (all) return true;
            }
            return false;
        }

        /** Why this model does not check design d (null if it does). */
        public String whyNot(Design d) {
            if (appliesTo(d)) return null;
            List<String> alts = new ArrayList<>();
            for (Map<Switch, Set<Object>> clause : appliesTo) {
                List<String> parts = new ArrayList<>();
                for (var e : clause.entrySet()) {
                    parts.add(e.getKey() + (e.getValue().size() == 1 ? " = " + e.getValue().iterator().next()
                            : " in " + e.getValue()));
                }
                alts.add(String.join(" and ", parts));
            }
            return "applies to designs with " + String.join(", or ", alts)
                    + (notApplicable == null ? "" : " (" + notApplicable + ")");
        }
    }

    /**
     * One run: a model under a design.
     *
     * @param profile  "small" (run by mvn test), "standard" (bin/cdna check), "deep" (on request) or "doubled" (twice
     *                 the standard bounds, on request, meant for distributed TLC)
     * @param expected the verdict each property must get; a null value: none expected (certification of a new design)
     * @param seconds  how long a run takes with one TLC worker on the reference machine (a scheduling hint; 0: unknown)
     * @param vacuity  what a run must exercise for "holds" to stand (null: not judged, for models built in code)
     */
    public record Model(String name, String template, String profile, String module, String cfg, String design,
                        Map<String, Expect> expected, long minStates, long maxStates, int timeBudgetSeconds,
                        String notes, String where, String bounds, double seconds, Vacuity vacuity) {
        public Model(String name, String template, String profile, String module, String cfg, String design,
                     Map<String, Expect> expected, long minStates, long maxStates, int timeBudgetSeconds,
                     String notes, String where, String bounds) {
            this(name, template, profile, module, cfg, design, expected, minStates, maxStates, timeBudgetSeconds, notes,
                    where, bounds, 0, null);
        }

        public Model(String name, String profile, String module, String cfg, String design, Map<String, Expect> expected,
                     long minStates, long maxStates, int timeBudgetSeconds, String notes, String where) {
            this(name, name, profile, module, cfg, design, expected, minStates, maxStates, timeBudgetSeconds, notes, where, "");
        }

        /**
         * This run without the given properties.  Its pinned state range is
         * dropped: it measured a run that checked them all.
         */
        public Model without(java.util.Collection<String> properties) {
            Map<String, Expect> keep = new LinkedHashMap<>(expected);
            keep.keySet().removeAll(properties);
            return new Model(name, template, profile, module, cfg, design, keep, 0, Long.MAX_VALUE, timeBudgetSeconds, notes,
                    where, bounds, seconds, vacuity);
        }
    }

    /** A model run, or the reason its entry could not be read. */
    public record Entry(String name, Model model, String error) {}

    private final Path file;
    private final Map<String, Property> properties;
    private final List<Template> templates;
    private final List<Entry> entries;

    private Manifest(Path file, Map<String, Property> properties, List<Template> templates, List<Entry> entries) {
        this.file = file;
        this.properties = properties;
        this.templates = templates;
        this.entries = entries;
    }

    public Path file() { return file; }
    /** Every regression run (model × known design), malformed ones included. */
    public List<Entry> entries() { return entries; }
    /** Every model that could be read. */
    public List<Template> templates() { return templates; }
    /** Every property, in the order the manifest lists them. */
    public Map<String, Property> properties() { return properties; }

    public Template template(String name) {
        for (Template t : templates) if (t.name().equals(name)) return t;
        return null;
    }

    /** The regression run of a model under a design, or null. */
    public Model regression(String template, String design) {
        for (Entry e : entries) {
            if (e.model() != null && e.model().template().equals(template) && e.model().design().equals(design)) return e.model();
        }
        return null;
    }

    /**
     * A run of a model for certifying design d: every property its cfg checks
     * (TypeOK-style sanity invariants aside), with no expected verdict and no
     * state range unless the manifest knows this design under this name.
     */
    public Model certificationRun(Template t, Design d, Cfg cfg) {
        return certificationRun(t, d, cfg, null);
    }

    /**
     * As above; {@code known} is the regression run of this model for a design
     * with the same name and the very same switch values (null if none), whose
     * expected verdicts and pinned state range then carry over: the verdicts
     * only steer the search (TLC's liveness pass can wait until the end when a
     * property is expected to hold), and the range makes a model that changed
     * size an error instead of a quiet "holds".
     */
    public Model certificationRun(Template t, Design d, Cfg cfg, Model known) {
        Map<String, Expect> props = new LinkedHashMap<>();
        for (String i : cfg.invariants()) if (!i.startsWith("TypeOK")) props.put(i, null);
        for (String p : cfg.properties()) props.put(p, null);
        if (props.isEmpty() && cfg.checksDeadlock()) props.put(DEADLOCK, null);
        if (known == null) {
            return new Model(t.name() + "--" + d.name(), t.name(), t.profile(), t.module(), t.cfg(), d.name(), props, 0,
                    Long.MAX_VALUE, t.timeBudgetSeconds(), t.notes(), t.where(), t.bounds(), t.seconds(), t.vacuity());
        }
        boolean all = known.expected().keySet().containsAll(props.keySet());
        for (String p : props.keySet()) props.put(p, known.expected().get(p));
        // the pinned range is the size of a run that checks what the regression checks; other properties may stop earlier
        return new Model(known.name(), t.name(), t.profile(), t.module(), t.cfg(), d.name(), props,
                all ? known.minStates() : 0, all ? known.maxStates() : Long.MAX_VALUE, t.timeBudgetSeconds(), known.notes(),
                known.where(), t.bounds(), known.seconds(), t.vacuity());
    }

    /** Reads the manifest; throws only when the file as a whole is unusable. */
    public static Manifest read(Path file) throws InputException {
        Node root = LocatedJson.read(file);
        Obj o = LocatedJson.object(root, "the manifest");
        LocatedJson.onlyKeys(o, Set.of("models", "description", "properties", "vacuity"), "the manifest");
        Map<String, Property> properties = new LinkedHashMap<>();
        if (o.get("properties") != null) {
            Obj ps = LocatedJson.object(o.get("properties"), "\"properties\"");
            for (var e : ps.fields().entrySet()) properties.put(e.getKey(), property(e.getKey(), e.getValue()));
        }
        // per module: the actions that may stay dead and the reachability witnesses (see Vacuity)
        Map<String, Vacuity> vacuity = new LinkedHashMap<>();
        if (o.get("vacuity") != null) {
            Obj vs = LocatedJson.object(o.get("vacuity"), "\"vacuity\"");
            for (var e : vs.fields().entrySet()) vacuity.put(e.getKey(), vacuity(e.getKey(), e.getValue(), properties));
        }
        LocatedJson.Arr models = LocatedJson.array(LocatedJson.required(o, "models"), "\"models\"");
        List<Template> templates = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (Node n : models.items()) {
            i++;
            String name = "model-" + i;
            if (n instanceof Obj eo && eo.get("name") instanceof LocatedJson.Val v && v.value() instanceof String s) name = s;
            Template t;
            try {
                t = template(n, vacuity);
                if (!names.add(t.name())) {
                    throw new InputException(((Obj) n).get("name").where() + ": model name \"" + t.name() + "\" is used twice");
                }
            } catch (InputException e) {
                entries.add(new Entry(name, null, e.getMessage()));
                continue;
            }
            templates.add(t);
            Obj designs = (Obj) ((Obj) n).get("designs");
            if (designs == null) continue;
            for (var e : designs.fields().entrySet()) {
                String run = t.name() + "--" + e.getKey();
                try {
                    entries.add(new Entry(run, regression(t, e.getKey(), e.getValue(), properties), null));
                } catch (InputException x) {
                    entries.add(new Entry(run, null, x.getMessage()));
                }
            }
        }
        return new Manifest(file, properties, templates, entries);
    }

    private static Property property(String name, Node n) throws InputException {
        Obj o = LocatedJson.object(n, "property " + name);
        LocatedJson.onlyKeys(o, Set.of("requiredFor", "java", "brokenBy"), "property " + name);
        Set<String> req = new LinkedHashSet<>();
        for (Node m : LocatedJson.array(LocatedJson.required(o, "requiredFor"), "\"requiredFor\" of " + name).items()) {
            String mode = LocatedJson.string(m, "a protection mode");
            if (!Switch.Protection.choices().contains(mode)) {
                throw new InputException(m.where() + ": \"requiredFor\" of " + name + " must list protection modes "
                        + Switch.Protection.choices() + ", found \"" + mode + "\"");
            }
            req.add(mode);
        }
        Node java = o.get("java");
        String where = java == null || (java instanceof LocatedJson.Val v && v.value() == null) ? null
                : LocatedJson.string(java, "\"java\" of " + name);
        Node broken = o.get("brokenBy");
        String by = broken == null ? null : LocatedJson.string(broken, "\"brokenBy\" of " + name);
        return new Property(name, Set.copyOf(req), where, by);
    }

    private static Template template(Node n, Map<String, Vacuity> vacuity) throws InputException {
        Obj o = LocatedJson.object(n, "a manifest model");
        LocatedJson.onlyKeys(o, Set.of("name", "profile", "module", "cfg", "appliesTo", "notApplicable", "bounds",
                "timeBudgetSeconds", "seconds", "notes", "designs", "mayNotFire"), "a manifest model");
        String name = LocatedJson.string(LocatedJson.required(o, "name"), "\"name\"");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.]*(-[A-Za-z0-9_.]+)*")) {
            throw new InputException(o.get("name").where() + ": model name must be letters, digits, '.', '_' or single '-', found \""
                    + name + "\"");
        }
        String profile = profile(LocatedJson.required(o, "profile"));
        String module = LocatedJson.string(LocatedJson.required(o, "module"), "\"module\"");
        if (!module.endsWith(".tla")) throw new InputException(o.get("module").where() + ": \"module\" must name a .tla file, found \"" + module + "\"");
        String cfg = LocatedJson.string(LocatedJson.required(o, "cfg"), "\"cfg\"");
        if (!cfg.endsWith(".cfg")) throw new InputException(o.get("cfg").where() + ": \"cfg\" must name a .cfg file, found \"" + cfg + "\"");
        List<Map<Switch, Set<Object>>> applies = new ArrayList<>();
        LocatedJson.Arr clauses = LocatedJson.array(LocatedJson.required(o, "appliesTo"), "\"appliesTo\"");
        if (clauses.items().isEmpty()) throw new InputException(clauses.where() + ": \"appliesTo\" needs at least one clause");
        for (Node c : clauses.items()) applies.add(clause(c));
        String notApplicable = o.get("notApplicable") == null ? null : LocatedJson.string(o.get("notApplicable"), "\"notApplicable\"");
        String bounds = LocatedJson.string(LocatedJson.required(o, "bounds"), "\"bounds\"");
        int budget = budget(LocatedJson.required(o, "timeBudgetSeconds"));
        String notes = o.get("notes") == null ? "" : LocatedJson.string(o.get("notes"), "\"notes\"");
        if (o.get("designs") != null) LocatedJson.object(o.get("designs"), "\"designs\"");
        double seconds = o.get("seconds") == null ? 0 : seconds(o.get("seconds"));
        // fail closed: a model whose module declares no witnesses could only ever "hold" unjudged
        Vacuity v = vacuity.get(module);
        if (v == null) {
            throw new InputException(o.get("module").where() + ": module " + module + " has no entry under \"vacuity\" "
                    + "(the actions that may stay dead and the reachability witnesses of its properties), so no "
                    + "verdict of it could be trusted");
        }
        if (o.get("mayNotFire") != null) v = v.plus(exemptions(o.get("mayNotFire"), false));
        return new Template(name, profile, module, cfg, List.copyOf(applies), notApplicable, bounds, budget, notes, o.where(),
                seconds, v);
    }

    private static Vacuity vacuity(String module, Node n, Map<String, Property> properties) throws InputException {
        String what = "the \"vacuity\" entry of " + module;
        Obj o = LocatedJson.object(n, what);
        LocatedJson.onlyKeys(o, Set.of("mayNotFire", "witnesses"), what);
        List<Vacuity.Exemption> dead = o.get("mayNotFire") == null ? List.of() : exemptions(o.get("mayNotFire"), true);
        List<Vacuity.Witness> ws = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node w : LocatedJson.array(LocatedJson.required(o, "witnesses"), "\"witnesses\" of " + module).items()) {
            Obj wo = LocatedJson.object(w, "a witness of " + module);
            LocatedJson.onlyKeys(wo, Set.of("name", "for", "when", "about"), "a witness of " + module);
            String name = LocatedJson.string(LocatedJson.required(wo, "name"), "a witness's \"name\"");
            if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new InputException(wo.get("name").where() + ": a witness is a TLA+ operator name, found \"" + name + "\"");
            }
            if (!names.add(name)) throw new InputException(wo.get("name").where() + ": witness " + name + " is listed twice");
            List<String> fors = new ArrayList<>();
            LocatedJson.Arr fa = LocatedJson.array(LocatedJson.required(wo, "for"), "\"for\" of witness " + name);
            if (fa.items().isEmpty()) throw new InputException(fa.where() + ": witness " + name + " backs no property");
            for (Node f : fa.items()) {
                String p = LocatedJson.string(f, "a property name");
                if (!properties.isEmpty() && !properties.containsKey(p)) {
                    throw new InputException(f.where() + ": \"" + p + "\" is not a property of this manifest (\"properties\" lists "
                            + properties.keySet() + ")");
                }
                fors.add(p);
            }
            Map<Switch, Set<Object>> when = wo.get("when") == null ? Map.of() : clause(wo.get("when"), "a \"when\" clause");
            String about = LocatedJson.string(LocatedJson.required(wo, "about"), "a witness's \"about\"");
            ws.add(new Vacuity.Witness(name, List.copyOf(fors), when, about));
        }
        return new Vacuity(dead, List.copyOf(ws));
    }

    private static List<Vacuity.Exemption> exemptions(Node n, boolean conditional) throws InputException {
        List<Vacuity.Exemption> out = new ArrayList<>();
        for (Node x : LocatedJson.array(n, "\"mayNotFire\"").items()) {
            Obj xo = LocatedJson.object(x, "an entry of \"mayNotFire\"");
            LocatedJson.onlyKeys(xo, conditional ? Set.of("action", "when", "why") : Set.of("action", "why"),
                    "an entry of \"mayNotFire\"");
            String action = LocatedJson.string(LocatedJson.required(xo, "action"), "\"action\"");
            Map<Switch, Set<Object>> when = xo.get("when") == null ? Map.of() : clause(xo.get("when"), "a \"when\" clause");
            String why = LocatedJson.string(LocatedJson.required(xo, "why"), "\"why\" (the reason " + action + " may never fire)");
            out.add(new Vacuity.Exemption(action, when, why));
        }
        return List.copyOf(out);
    }

    private static Map<Switch, Set<Object>> clause(Node n) throws InputException {
        return clause(n, "an \"appliesTo\" clause");
    }

    private static Map<Switch, Set<Object>> clause(Node n, String what) throws InputException {
        Obj o = LocatedJson.object(n, what);
        if (o.fields().isEmpty()) throw new InputException(o.where() + ": " + what + " names no switch");
        Map<Switch, Set<Object>> out = new EnumMap<>(Switch.class);
        for (var e : o.fields().entrySet()) {
            Switch s;
            try {
                s = Switch.valueOf(e.getKey());
            } catch (IllegalArgumentException x) {
                throw new InputException(e.getValue().where() + ": unknown switch \"" + e.getKey() + "\" in " + what + "; expected one of "
                        + java.util.Arrays.toString(Switch.values()));
            }
            List<Node> vals = e.getValue() instanceof LocatedJson.Arr a ? a.items() : List.of(e.getValue());
            Set<Object> allowed = new LinkedHashSet<>();
            for (Node v : vals) allowed.add(switchValue(s, v));
            out.put(s, allowed);
        }
        return out;
    }

    private static Object switchValue(Switch s, Node v) throws InputException {
        String what = "a value of switch " + s;
        return switch (s.kind()) {
            case BOOL -> LocatedJson.bool(v, what);
            case INT -> LocatedJson.integer(v, what);
            case CHOICE -> {
                String c = LocatedJson.string(v, what);
                if (!s.choices().contains(c)) {
                    throw new InputException(v.where() + ": switch " + s + " must be one of " + s.choices() + ", found \"" + c + "\"");
                }
                yield c;
            }
        };
    }

    private static Model regression(Template t, String design, Node n, Map<String, Property> properties) throws InputException {
        if (!design.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new InputException(n.where() + ": design name must be letters, digits, '.', '_' or '-', found \"" + design + "\"");
        }
        Obj o = LocatedJson.object(n, "the entry of design " + design);
        LocatedJson.onlyKeys(o, Set.of("expected", "distinctStates", "profile", "timeBudgetSeconds", "seconds", "notes"),
                "the entry of design " + design);
        String profile = o.get("profile") == null ? t.profile() : profile(o.get("profile"));
        Obj exp = LocatedJson.object(LocatedJson.required(o, "expected"), "\"expected\"");
        if (exp.fields().isEmpty()) throw new InputException(exp.where() + ": \"expected\" names no property");
        Map<String, Expect> expected = new LinkedHashMap<>();
        for (var e : exp.fields().entrySet()) {
            String v = LocatedJson.string(e.getValue(), "the expected verdict of " + e.getKey());
            if (!properties.isEmpty() && !properties.containsKey(e.getKey()) && !e.getKey().equals(DEADLOCK)) {
                throw new InputException(e.getValue().where() + ": \"" + e.getKey() + "\" is not a property of this manifest "
                        + "(\"properties\" lists " + properties.keySet() + ", or \"" + DEADLOCK + "\")");
            }
            try {
                expected.put(e.getKey(), Expect.valueOf(v));
            } catch (IllegalArgumentException x) {
                throw new InputException(e.getValue().where() + ": expected verdict of " + e.getKey()
                        + " must be \"holds\" or \"violated\", found \"" + v + "\"");
            }
        }
        LocatedJson.Arr range = LocatedJson.array(LocatedJson.required(o, "distinctStates"), "\"distinctStates\"");
        if (range.items().size() != 2) {
            throw new InputException(range.where() + ": \"distinctStates\" must be [min, max], found " + range.items().size() + " numbers");
        }
        long min = LocatedJson.integer(range.items().get(0), "the minimum of \"distinctStates\"");
        long max = LocatedJson.integer(range.items().get(1), "the maximum of \"distinctStates\"");
        if (min < 0 || max < min) throw new InputException(range.where() + ": \"distinctStates\" must have 0 <= min <= max");
        int budget = o.get("timeBudgetSeconds") == null ? t.timeBudgetSeconds() : budget(o.get("timeBudgetSeconds"));
        String notes = o.get("notes") == null ? t.notes() : LocatedJson.string(o.get("notes"), "\"notes\"");
        double seconds = o.get("seconds") == null ? t.seconds() : seconds(o.get("seconds"));
        return new Model(t.name() + "--" + design, t.name(), profile, t.module(), t.cfg(), design, expected, min, max, budget,
                notes, o.where(), t.bounds(), seconds, t.vacuity());
    }

    private static String profile(Node n) throws InputException {
        String p = LocatedJson.string(n, "\"profile\"");
        if (!Set.of("small", "standard", "deep", "doubled").contains(p)) {
            throw new InputException(n.where() + ": \"profile\" must be \"small\", \"standard\", \"deep\" or \"doubled\", found \"" + p + "\"");
        }
        return p;
    }

    private static double seconds(Node n) throws InputException {
        if (!(n instanceof LocatedJson.Val v) || !(v.value() instanceof Number x) || x.doubleValue() < 0) {
            throw new InputException(n.where() + ": \"seconds\" must be a number of seconds (a scheduling hint), found " + n);
        }
        return x.doubleValue();
    }

    private static int budget(Node n) throws InputException {
        long b = LocatedJson.integer(n, "\"timeBudgetSeconds\"");
        if (b < 1 || b > 86400) {
            throw new InputException(n.where() + ": \"timeBudgetSeconds\" must be between 1 and 86400, found " + b);
        }
        return (int) b;
    }
}
