package cdna.certify;

import cdna.check.PropertyResult;

import java.util.List;
import java.util.Map;

/**
 * What certifying one design found: a verdict per property with the evidence
 * behind it (every model run, every counterexample and its Java replay, the
 * implementation's random runs and fuzz corpus), the models that could not
 * check this design and why, a comparison with the baseline of the same
 * protection mode, and the provenance needed to repeat it.
 *
 * @param status "certified" (every property holds, none required is left unchecked, spec and code conform, no model of the
 *               profile was left out), "not certified", or
 *               "incomplete" (interrupted: never written as a certificate)
 */
public record Certificate(DesignInfo design, String profile, String status, List<PropertyVerdict> properties,
                          List<ModelRun> models, List<Skipped> skipped, ImplementationChecks.Result implementation,
                          ConformanceChecks.Result conformance, Comparison comparison, Provenance provenance, double seconds) {

    public static final String CERTIFIED = "certified";
    public static final String NOT_CERTIFIED = "not certified";
    public static final String INCOMPLETE = "incomplete";

    /**
     * The design as certified.
     *
     * @param file     the design file (null for a design built in code)
     * @param switches every switch's value
     * @param changed  the switches whose value differs from the baseline's: name -> [baseline value, this value]
     */
    public record DesignInfo(String name, String file, String description, String protection,
                             Map<String, Object> switches, String baseline, Map<String, List<Object>> changed) {}

    /**
     * The verdict of one property, all evidence considered.
     *
     * @param verdict  "holds", "violated", "vacuous" (a model holds it only because it never reaches what the
     *                 property is about), "error", "timeout", "not checked" (required of this design, but no
     *                 applicable model checks it) or "not applicable" (not required of this protection mode)
     * @param why      one sentence: the bounds and states behind "holds", the trace behind "violated", ...
     * @param spec     every model run's result for this property
     * @param java     the implementation's first violation of it (null: none found, or no Java checker)
     * @param javaNote what the implementation checks say of it ("no violation in ...", or that no checker exists)
     */
    public record PropertyVerdict(String property, boolean required, String verdict, String why, List<PropertyResult> spec,
                                  ImplementationChecks.Finding java, String javaNote) {
        public boolean passes() {
            return verdict.equals("holds") || verdict.equals("not applicable");
        }
    }

    /** One model checked for this design. */
    public record ModelRun(String model, String run, String bounds, String module, String cfg, List<PropertyResult> results) {}

    /**
     * A model of the profile this certification did not run, and why.
     *
     * @param leftOut true when the user left it out ({@code --only}), false when it does not apply to the design
     */
    public record Skipped(String model, String bounds, String why, boolean leftOut) {}

    /**
     * This design against the baseline of its protection mode.
     *
     * @param source where the baseline's verdicts come from
     */
    public record Comparison(String baseline, String source, List<Change> changes) {}

    /** A property whose verdict differs from the baseline's. */
    public record Change(String property, String baselineVerdict, String verdict) {}

    /**
     * @param gitCommit   the commit checked out (with "+changes" when the work tree differs from it)
     * @param commands    every TLC command line behind a verdict
     * @param commandLine the cdna command that produced this certificate
     */
    public record Provenance(String gitCommit, String tlcVersion, String java, String machine, String date, long seed,
                             String commandLine, List<String> commands) {}

    /** This certificate with another status. */
    public Certificate withStatus(String s) {
        return new Certificate(design, profile, s, properties, models, skipped, implementation, conformance, comparison, provenance, seconds);
    }

    /** This certificate with its provenance and its duration. */
    public Certificate withProvenance(Provenance p, double secs) {
        return new Certificate(design, profile, status, properties, models, skipped, implementation, conformance, comparison, p, secs);
    }

    public List<String> failing() {
        List<String> out = new java.util.ArrayList<>(properties.stream().filter(p -> !p.passes()).map(p -> p.property() + " " + p.verdict()).toList());
        if (conformance != null) for (ConformanceChecks.Run r : conformance.failing()) out.add(r.kind() + " on " + r.model() + " failed");
        // a partial certification is never a certificate: the models left out could break what the others keep
        long leftOut = skipped.stream().filter(Skipped::leftOut).count();
        if (leftOut > 0) out.add(leftOut + (leftOut == 1 ? " model" : " models") + " of profile " + profile + " left out by --only");
        return out;
    }
}
