package cdna.explore;

import cdna.certify.Certificate;
import cdna.certify.Certification;
import cdna.check.Manifest;
import cdna.check.ModelChecker;
import cdna.check.PropertyResult;
import cdna.check.TlcRunner;
import cdna.costs.CostTable;
import cdna.costs.UnitCosts;
import cdna.design.Design;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Explores a design space: measures every candidate's per-packet costs,
 * certifies each at small bounds, then certifies at standard bounds the
 * candidates that can still matter, and joins verdicts with costs.
 *
 * <p>Pruning, each step sound (docs/exploration.md argues it):
 * <ul>
 *   <li>designs that differ only in inert switches are one candidate ({@link DesignSpace});</li>
 *   <li>a property violated at small bounds is not checked again at standard
 *       bounds (the counterexample is a real behaviour of the design);</li>
 *   <li>a design that violates every property at small bounds is not certified
 *       at standard bounds (there is nothing left to check);</li>
 *   <li>a design strictly dominated by one already certified at standard bounds,
 *       even if it kept every property small bounds did not break, cannot reach
 *       the frontier, and is not certified at standard bounds (unless
 *       {@code checkDominated}); its row is marked provisional.</li>
 * </ul>
 */
public final class Exploration {
    /**
     * @param files          the design files, whose manifest verdicts the explored designs are compared with
     * @param stages         "small" (stop after small bounds) or "standard"
     * @param checkerFor     the model checker for a design at a profile (its reports and work directories)
     * @param finish         given each certificate as it completes, returns it with its provenance (and writes it)
     * @param checkDominated certify at standard bounds even the designs the frontier can do without
     */
    public record Settings(Path root, Manifest manifest, List<Design> files, Design base, Design baseline, List<DesignSpace.Candidate> candidates,
                           String stages, long seed, int lanes, Pattern only, int packets, UnitCosts units, boolean checkDominated,
                           BiFunction<Design, String, ModelChecker> checkerFor, UnaryOperator<Certificate> finish,
                           ModelChecker.Listener listener) {}

    /**
     * One explored design.
     *
     * @param verdicts    each property required of the design's protection mode -> its verdict at the last stage run
     * @param kept        the properties that hold
     * @param standard    the standard-bounds certificate (null: not run, see {@code note})
     * @param provisional kept at small bounds only: the standard stage was skipped as the design is dominated
     * @param note        why the standard stage was not run (null: it ran, or was not asked for)
     */
    public record Explored(DesignSpace.Candidate candidate, CostTable.Row counts, Certificate small, Certificate standard,
                           Map<String, String> verdicts, Set<String> kept, boolean provisional, String note) {
        public String name() { return candidate.name(); }

        /** The certificate of the last stage run. */
        public Certificate last() { return standard != null ? standard : small; }

        public Frontier.Point point(UnitCosts u) { return new Frontier.Point(name(), counts.relativeCost(u), kept); }

        /**
         * The verdicts that say a run failed (error, timeout): the exploration
         * cannot vouch for this row.  "not checked" is not one: no model of the
         * profile checks that property for this design, which the table says.
         */
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            verdicts.forEach((p, v) -> {
                if (v.equals("error") || v.equals("timeout")) out.add(p + " " + v);
            });
            return out;
        }
    }

    /** The frontier when one unit cost is scaled. */
    public record Sensitivity(String unitCost, double factor, List<String> frontier) {}

    /** Verdicts of the explored designs against the manifest's expected verdicts for the design files among them. */
    public record Agreement(int checked, List<String> designs, List<String> disagreements) {}

    /**
     * @param interrupted stopped before the end (Ctrl-C): what finished is kept
     */
    public record Result(Design base, String stages, UnitCosts units, List<Explored> explored, List<Frontier.Point> frontier,
                         List<Sensitivity> sensitivity, Agreement agreement, double seconds, boolean interrupted) {}

    private final Settings s;

    public Exploration(Settings s) {
        this.s = s;
    }

    public Result run() {
        long t0 = System.nanoTime();
        ModelChecker.Listener l = s.listener();
        List<DesignSpace.Candidate> cands = s.candidates();
        Map<String, CostTable.Row> counts = new LinkedHashMap<>();
        for (DesignSpace.Candidate c : cands) counts.put(c.name(), CostTable.measure(c.design(), s.packets()));
        l.message(String.format(Locale.ROOT, "explore: costs measured for %d designs (%d packets each)", cands.size(), s.packets()));

        Map<String, Certificate> small = new LinkedHashMap<>();
        int i = 0;
        for (DesignSpace.Candidate c : cands) {
            if (TlcRunner.stopped()) break;
            l.message(String.format(Locale.ROOT, "explore: [%d/%d] %s: %s, at small bounds", ++i, cands.size(), c.name(), c.changes()));
            small.put(c.name(), certify(c.design(), "small", null));
        }

        Map<String, Explored> done = new LinkedHashMap<>();
        List<DesignSpace.Candidate> order = new ArrayList<>(cands);
        // cheapest first; at equal cost, the design small bounds left the most open goes first, so that once
        // certified it can dominate the others at its cost (a design that kept less need not run at all)
        order.sort(Comparator.comparingDouble((DesignSpace.Candidate c) -> counts.get(c.name()).relativeCost(s.units()))
                .thenComparing((DesignSpace.Candidate c) -> small.containsKey(c.name()) ? -notViolated(small.get(c.name())).size() : 0)
                .thenComparing(DesignSpace.Candidate::name));
        for (DesignSpace.Candidate c : order) {
            Certificate sc = small.get(c.name());
            if (sc == null) continue; // interrupted before it
            CostTable.Row row = counts.get(c.name());
            // what the design could still keep at standard bounds: what its standard models check, but not what small bounds broke
            Set<String> open = notViolated(sc);
            try {
                open.retainAll(new Certification(s.root(), s.manifest(), null, c.design(), null, "standard", null, s.only()).checks());
            } catch (cdna.json.InputException e) {
                // a model's cfg cannot be read: keep every property open, and let the certification report the error
            }
            if (!s.stages().equals("standard")) {
                done.put(c.name(), explored(c, row, sc, null, false, null));
                continue;
            }
            if (open.isEmpty()) {
                done.put(c.name(), explored(c, row, sc, null, false,
                        "nothing left to check at standard bounds: small bounds broke every property its standard models check"));
                continue;
            }
            Frontier.Point optimistic = new Frontier.Point(c.name(), row.relativeCost(s.units()), open);
            List<Frontier.Point> certified = done.values().stream().filter(e -> e.standard() != null).map(e -> e.point(s.units())).toList();
            Frontier.Point by = dominator(optimistic, certified);
            if (by != null && !s.checkDominated()) {
                done.put(c.name(), explored(c, row, sc, null, true, "not certified at standard bounds: dominated by "
                        + by.design() + " (cheaper or keeps more, even if this design kept at standard bounds all that small bounds left open)"));
                continue;
            }
            if (TlcRunner.stopped()) break;
            l.message(String.format(Locale.ROOT, "explore: %s at standard bounds (%d properties still to check)", c.name(), open.size()));
            Certificate std = certify(c.design(), "standard", Certification.Prior.of(sc));
            done.put(c.name(), explored(c, row, sc, std, false, null));
        }
        // in the candidates' order, not the order they were certified in
        List<Explored> out = new ArrayList<>();
        for (DesignSpace.Candidate c : cands) if (done.containsKey(c.name())) out.add(done.get(c.name()));
        List<Frontier.Point> points = out.stream().map(e -> e.point(s.units())).toList();
        return new Result(s.base(), s.stages(), s.units(), out, Frontier.of(points), sensitivity(out, s.units()),
                agreement(out), (System.nanoTime() - t0) / 1e9, TlcRunner.stopped());
    }

    /**
     * The pruning decision of the standard stage: a design already certified
     * at standard bounds that dominates {@code optimistic} (a design's cost
     * with every property small bounds left open), or null.  A design so
     * dominated cannot reach the frontier whatever standard bounds find, since
     * they can only take properties away.
     */
    public static Frontier.Point dominator(Frontier.Point optimistic, List<Frontier.Point> certified) {
        for (Frontier.Point p : certified) if (Frontier.dominates(p, optimistic)) return p;
        return null;
    }

    private Certificate certify(Design d, String profile, Certification.Prior prior) {
        Certification cert = new Certification(s.root(), s.manifest(), s.checkerFor().apply(d, profile), d, null, profile,
                s.baseline(), s.only(), prior);
        long t0 = System.nanoTime();
        cert.run(s.listener(), s.seed(), s.lanes());
        return s.finish().apply(cert.certificate(!TlcRunner.stopped(), null, (System.nanoTime() - t0) / 1e9));
    }

    /** The properties required of the design's protection mode that certificate c does not find violated. */
    static Set<String> notViolated(Certificate c) {
        Set<String> out = new LinkedHashSet<>();
        for (Certificate.PropertyVerdict v : c.properties()) if (v.required() && !v.verdict().equals("violated")) out.add(v.property());
        return out;
    }

    private Explored explored(DesignSpace.Candidate c, CostTable.Row row, Certificate small, Certificate std, boolean provisional,
                              String note) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (Certificate.PropertyVerdict v : small.properties()) if (v.required()) verdicts.put(v.property(), v.verdict());
        // standard bounds decide what they check; what only small bounds check keeps its small verdict
        if (std != null) for (Certificate.PropertyVerdict v : std.properties()) {
            if (v.required() && !(v.verdict().equals("not checked") && verdicts.containsKey(v.property()))) verdicts.put(v.property(), v.verdict());
        }
        Set<String> kept = new LinkedHashSet<>();
        verdicts.forEach((p, v) -> {
            if (v.equals("holds")) kept.add(p);
        });
        return new Explored(c, row, small, std, verdicts, kept, provisional, note);
    }

    /** The unit costs each scaled by a quarter and by four, and the frontier under each. */
    static List<Sensitivity> sensitivity(List<Explored> explored, UnitCosts units) {
        List<Sensitivity> out = new ArrayList<>();
        for (String u : UnitCosts.NAMES) {
            for (double f : new double[]{0.25, 4}) {
                UnitCosts scaled = units.scaled(u, f);
                List<Frontier.Point> pts = explored.stream().map(e -> e.point(scaled)).toList();
                out.add(new Sensitivity(u, f, Frontier.of(pts).stream().map(Frontier.Point::design).toList()));
            }
        }
        return out;
    }

    /**
     * Every verdict the manifest expects of a design file that is one of the
     * explored classes (by its switch values, inert switches folded), compared
     * with the verdict the exploration found on the same model.
     */
    Agreement agreement(List<Explored> explored) {
        int checked = 0;
        List<String> designs = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (Explored e : explored) {
            Map<String, String> ignored = new LinkedHashMap<>();
            for (Design f : s.files()) {
                if (f.protection() != e.candidate().design().protection()) continue;
                if (!DesignSpace.canonical(s.base(), f.values(), ignored).equals(e.candidate().design().values())) continue;
                boolean any = false;
                for (Certificate c : e.standard() == null ? List.of(e.small()) : List.of(e.small(), e.standard())) {
                    for (Certificate.ModelRun r : c.models()) {
                        Manifest.Model reg = s.manifest().regression(r.model(), f.name());
                        if (reg == null) continue;
                        for (PropertyResult p : r.results()) {
                            Manifest.Expect want = reg.expected().get(p.property());
                            if (want == null) continue;
                            checked++;
                            any = true;
                            if (!want.name().equals(p.verdict())) {
                                bad.add(f.name() + " on " + r.model() + ": " + p.property() + " expected " + want.name()
                                        + ", explored " + e.name() + " found " + p.verdict());
                            }
                        }
                    }
                }
                if (any) designs.add(f.name() + (f.name().equals(e.name()) ? "" : " (as " + e.name() + ")"));
            }
        }
        return new Agreement(checked, designs, bad);
    }
}
