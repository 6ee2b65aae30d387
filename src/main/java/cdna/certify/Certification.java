package cdna.certify;

import cdna.check.Cfg;
import cdna.check.Lanes;
import cdna.check.Manifest;
import cdna.check.ModelChecker;
import cdna.check.PropertyResult;
import cdna.design.Design;
import cdna.design.Switch;
import cdna.json.InputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Certifies one design: every model of the chosen profile whose
 * {@code appliesTo} matches the design is run through TLC on every property
 * its cfg checks (each counterexample replayed on Java by the checker's
 * replay stage), the implementation runs under the design, and the two are
 * joined into a verdict per property.  Results accumulate as they arrive, so
 * an interrupted certification can still report what it finished.
 */
public final class Certification {
    /** Names of the baselines a design is compared with, by protection mode. */
    public static String baselineOf(Design d) {
        return d.protection() == Design.Protection.IOMMU ? "iommu-baseline" : "cdna-baseline";
    }

    private final Path root;
    private final Manifest manifest;
    private final ModelChecker checker;
    private final Design design;
    private final String designFile;
    private final String profile;
    private final Design baseline;
    private final java.util.regex.Pattern only;
    private final Prior prior;

    /**
     * What a certification of the same design at a smaller profile
     * established, carried into this one so that nothing is done twice: the
     * implementation checks and the conformance checks (neither depends on the
     * profile), and the properties it found violated.  Those are not checked
     * again: a counterexample at small bounds is a real behaviour of the
     * design, so the property is violated whatever larger bounds would say.
     *
     * @param profile  the profile that established it
     * @param violated property -> the results that violate it
     */
    public record Prior(String profile, ImplementationChecks.Result implementation, ConformanceChecks.Result conformance,
                        Map<String, List<PropertyResult>> violated) {
        /** What certificate c (complete) establishes for a later, larger certification of the same design. */
        public static Prior of(Certificate c) {
            Map<String, List<PropertyResult>> v = new LinkedHashMap<>();
            for (Certificate.PropertyVerdict p : c.properties()) {
                List<PropertyResult> cx = p.spec().stream().filter(r -> r.verdict().equals("violated")).toList();
                if (!cx.isEmpty()) v.put(p.property(), cx);
            }
            return new Prior(c.profile(), c.implementation(), c.conformance(), v);
        }
    }

    private final List<Certificate.ModelRun> runs = Collections.synchronizedList(new ArrayList<>());
    private final List<Certificate.Skipped> skipped = new ArrayList<>();
    private final List<Certificate.Skipped> pruned = Collections.synchronizedList(new ArrayList<>());
    private volatile ImplementationChecks.Result implementation;
    private volatile ConformanceChecks.Result conformance;

    /**
     * @param baseline the baseline of the design's protection mode (for the comparison; null: none)
     * @param only     runs only the models whose name it finds (null: every model); a partial certification is never certified
     */
    public Certification(Path root, Manifest manifest, ModelChecker checker, Design design, String designFile, String profile,
                         Design baseline, java.util.regex.Pattern only) {
        this(root, manifest, checker, design, designFile, profile, baseline, only, null);
    }

    /** As above, carrying over what a smaller certification of the same design established (null: nothing). */
    public Certification(Path root, Manifest manifest, ModelChecker checker, Design design, String designFile, String profile,
                         Design baseline, java.util.regex.Pattern only, Prior prior) {
        this.prior = prior;
        this.root = root;
        this.manifest = manifest;
        this.checker = checker;
        this.design = design;
        this.designFile = designFile;
        this.profile = profile;
        this.baseline = baseline;
        this.only = only;
    }

    /** Whether the user's {@code --only} keeps model t (the conformance checks' small models included). */
    private boolean kept(Manifest.Template t) {
        return only == null || only.matcher(t.name()).find();
    }

    /** The models this certification runs, in manifest order, and records those it skips. */
    public List<Manifest.Template> applicable() {
        List<Manifest.Template> out = new ArrayList<>();
        skipped.clear();
        for (Manifest.Template t : manifest.templates()) {
            if (!t.profile().equals(profile)) continue;
            String why = t.whyNot(design);
            if (why != null) skipped.add(new Certificate.Skipped(t.name(), t.bounds(), why, false));
            else if (!kept(t)) skipped.add(new Certificate.Skipped(t.name(), t.bounds(), "left out by --only " + only.pattern(), true));
            else out.add(t);
        }
        return out;
    }

    /**
     * Every property some applicable model checks (TypeOK-style sanity
     * invariants aside): what this certification can possibly find holding.
     */
    public Set<String> checks() throws InputException {
        Set<String> out = new LinkedHashSet<>();
        for (Manifest.Template t : applicable()) {
            Cfg cfg = Cfg.read(root.resolve("model-check").resolve(t.cfg()));
            for (String i : cfg.invariants()) if (!i.startsWith("TypeOK")) out.add(i);
            out.addAll(cfg.properties());
        }
        return out;
    }

    /** The models of the profile that do not apply, with why (filled by {@link #applicable}). */
    public List<Certificate.Skipped> skipped() { return List.copyOf(skipped); }

    /**
     * Runs every applicable model and the implementation checks, on
     * {@code lanes} lanes (each model one TLC run at a time, longest first).
     */
    public void run(ModelChecker.Listener listener, long seed, int lanes) {
        List<Manifest.Template> models = applicable();
        List<Lanes.Job<Certificate.ModelRun>> jobs = new ArrayList<>();
        for (Manifest.Template t : models) {
            jobs.add(new Lanes.Job<>(t.name(), t.seconds(), () -> runModel(t, listener)));
        }
        // the Java implementation runs as one more job, so it overlaps with TLC when there are lanes to spare
        if (prior != null && prior.implementation() != null) implementation = prior.implementation();
        else jobs.add(new Lanes.Job<>("implementation", IMPLEMENTATION_SECONDS, () -> {
            if (!cdna.check.TlcRunner.stopped()) implementation = ImplementationChecks.run(root, design, seed, listener::message);
            return null;
        }));
        Lanes.run(jobs, lanes, r -> {
            if (r != null) runs.add(r);
        });
        if (cdna.check.TlcRunner.stopped()) return;
        // Last, once the verdicts are in: on a design found safe, the Java checker must stay quiet on the replayed graphs too.
        boolean safe = implementation != null && implementation.findings().isEmpty();
        synchronized (runs) {
            for (Certificate.ModelRun r : runs) for (PropertyResult p : r.results()) safe &= !p.verdict().equals("violated");
        }
        if (prior != null && prior.conformance() != null) {
            conformance = prior.conformance();
            return;
        }
        conformance = ConformanceChecks.run(root, manifest, design, safe, seed, new cdna.check.TlcRunner(checker.settings().launcher()),
                lanes, this::kept, listener::message);
    }

    /** A scheduling hint: how long the implementation checks take on the reference machine. */
    static final double IMPLEMENTATION_SECONDS = 20;

    /** The regression run of t for this very design (same name, same switches), or null. */
    private Manifest.Model known(Manifest.Template t) {
        Manifest.Model reg = manifest.regression(t.name(), design.name());
        if (reg == null) return null;
        try {
            Design file = new cdna.design.DesignFiles(root.resolve("model-check/designs")).load(design.name());
            return file.values().equals(design.values()) ? reg : null;
        } catch (InputException e) {
            return null;
        }
    }

    private Certificate.ModelRun runModel(Manifest.Template t, ModelChecker.Listener listener) {
        List<PropertyResult> results;
        try {
            Cfg cfg = Cfg.read(root.resolve("model-check").resolve(t.cfg()));
            Manifest.Model m = manifest.certificationRun(t, design, cfg, known(t));
            if (prior != null && !java.util.Collections.disjoint(m.expected().keySet(), prior.violated().keySet())) {
                m = m.without(prior.violated().keySet());
                if (m.expected().isEmpty()) {
                    pruned.add(new Certificate.Skipped(t.name(), t.bounds(), "every property it checks is already violated at profile "
                            + prior.profile(), false));
                    return null;
                }
            }
            results = checker.check(m, design, listener);
        } catch (InputException e) {
            results = List.of(PropertyResult.of(t.name() + "--" + design.name(), design.name(), "(model)", null, null,
                    "error", e.getMessage()));
        }
        return new Certificate.ModelRun(t.name(), t.name() + "--" + design.name(), t.bounds(), t.module(), t.cfg(),
                List.copyOf(results));
    }

    /** The certificate of what has run so far; "incomplete" unless {@code complete}. */
    public Certificate certificate(boolean complete, Certificate.Provenance provenance, double seconds) {
        List<Certificate.ModelRun> done;
        synchronized (runs) {
            done = new ArrayList<>(runs);
        }
        // in manifest order, whatever order the lanes finished them in
        List<String> order = manifest.templates().stream().map(Manifest.Template::name).toList();
        done.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.model())));
        ImplementationChecks.Result impl = implementation;
        List<Certificate.PropertyVerdict> verdicts = verdicts(done, impl, complete);
        ConformanceChecks.Result conf = conformance;
        List<Certificate.Skipped> notRun = new ArrayList<>(skipped);
        notRun.addAll(pruned);
        Certificate c = new Certificate(designInfo(), profile, Certificate.NOT_CERTIFIED, verdicts, done, List.copyOf(notRun), impl,
                conf, comparison(verdicts), provenance, seconds);
        if (!complete) return c.withStatus(Certificate.INCOMPLETE);
        return conf != null && c.failing().isEmpty() ? c.withStatus(Certificate.CERTIFIED) : c;
    }

    private Certificate.DesignInfo designInfo() {
        Map<String, Object> sw = new LinkedHashMap<>();
        Map<String, List<Object>> changed = new LinkedHashMap<>();
        for (Switch s : Switch.values()) {
            sw.put(s.name(), design.get(s));
            if (baseline != null && !baseline.get(s).equals(design.get(s))) changed.put(s.name(), List.of(baseline.get(s), design.get(s)));
        }
        return new Certificate.DesignInfo(design.name(), designFile, design.description(),
                design.protection().spec(), sw, baseline == null ? null : baseline.name(), changed);
    }

    private List<Certificate.PropertyVerdict> verdicts(List<Certificate.ModelRun> done, ImplementationChecks.Result impl,
                                                       boolean complete) {
        Set<String> names = new LinkedHashSet<>(manifest.properties().keySet());
        for (Certificate.ModelRun r : done) for (PropertyResult p : r.results()) names.add(p.property());
        if (prior != null) names.addAll(prior.violated().keySet());
        String mode = design.protection().spec();
        List<Certificate.PropertyVerdict> out = new ArrayList<>();
        for (String p : names) {
            List<PropertyResult> spec = new ArrayList<>();
            for (Certificate.ModelRun r : done) for (PropertyResult x : r.results()) if (x.property().equals(p)) spec.add(x);
            // a violation found at a smaller profile stands: it is not checked again
            if (prior != null && prior.violated().containsKey(p)) spec.addAll(prior.violated().get(p));
            Manifest.Property prop = manifest.properties().get(p);
            boolean required = prop == null || prop.requiredFor().contains(mode);
            ImplementationChecks.Finding java = impl == null ? null : impl.findings().get(p);
            String javaNote = javaNote(prop, impl, java);
            String notRequired = prop == null ? null : "required only of designs with Protection in " + prop.requiredFor()
                    + ", and no model applicable to this design checks it";
            List<String> skippedWhy = new ArrayList<>();
            for (Certificate.Skipped sk : skipped) skippedWhy.add(sk.model() + " " + sk.why());
            out.add(Verdicts.combine(p, required, spec, java, javaNote, complete, notRequired,
                    "no model of profile " + profile + " that checks it applies to this design"
                            + (skippedWhy.isEmpty() ? "" : ": " + String.join("; ", skippedWhy)), design.name()));
        }
        return out;
    }

    private static String javaNote(Manifest.Property prop, ImplementationChecks.Result impl, ImplementationChecks.Finding java) {
        if (prop != null && prop.java() == null) return "no Java checker: a property of the spec only";
        if (impl == null) return "the implementation checks did not run";
        if (java != null) {
            return "violated by the implementation in a " + java.source()
                    + (java.runSeed() == null ? "" : " (run seed " + java.runSeed() + ")") + ": " + java.violation();
        }
        return String.format(Locale.ROOT, "no violation in %,d implementation runs (%,d steps, %,d DMA accesses checked)"
                + " and %d fuzz corpus inputs, seed %d", impl.runs(), impl.steps(), impl.accesses(), impl.corpusInputs(),
                impl.seed());
    }

    /** The baseline's verdicts, from the manifest's regression suite on the same models, against this design's. */
    private Certificate.Comparison comparison(List<Certificate.PropertyVerdict> verdicts) {
        if (baseline == null) return null;
        String source = "the manifest's expected verdicts for " + baseline.name() + " on the same models (bin/cdna check verifies them)";
        if (baseline.name().equals(design.name()) && baseline.values().equals(design.values())) {
            return new Certificate.Comparison(baseline.name(), "this design is the baseline", List.of());
        }
        List<Certificate.Change> changes = new ArrayList<>();
        for (Certificate.PropertyVerdict v : verdicts) {
            String base = null;
            for (PropertyResult r : v.spec()) {
                Manifest.Model reg = manifest.regression(templateOf(r.model()), baseline.name());
                if (reg == null || reg.expected().get(v.property()) == null) continue;
                String e = reg.expected().get(v.property()).name();
                if (base == null || e.equals("violated")) base = e;
            }
            if (base == null && v.spec().isEmpty() && v.verdict().equals("not applicable")) continue;
            if (base == null) base = "unknown";
            if (!base.equals(v.verdict())) changes.add(new Certificate.Change(v.property(), base, v.verdict()));
        }
        return new Certificate.Comparison(baseline.name(), source, changes);
    }

    private static String templateOf(String run) {
        int i = run.indexOf("--");
        return i < 0 ? run : run.substring(0, i);
    }
}
