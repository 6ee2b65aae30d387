package cdna.certify;

import cdna.check.PropertyResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the evidence for one property becomes its verdict in a certificate. */
final class Verdicts {
    private Verdicts() {}

    /**
     * The verdict of property p from every model's result and the
     * implementation's first violation (null: none).  In order: a
     * counterexample makes it violated (the shortest is named); then an error,
     * a timeout, or a state count outside the manifest's pinned range is an
     * error; then a model in which it holds only vacuously (an action that
     * never fired, a witness never reached) makes it vacuous; then the implementation violating what every model holds is a
     * violation (spec and code disagree); otherwise it holds if some model
     * checked it.  Unchecked: "not applicable" when not required of this
     * protection mode, else "not checked".
     *
     * @param notRequiredWhy why it is not required (used when !required)
     * @param notCheckedWhy  why no model checked it (used when required)
     */
    static Certificate.PropertyVerdict combine(String p, boolean required, List<PropertyResult> spec,
                                               ImplementationChecks.Finding java, String javaNote, boolean complete,
                                               String notRequiredWhy, String notCheckedWhy, String designName) {
        PropertyResult shortest = null;
        for (PropertyResult r : spec) {
            if (r.verdict().equals("violated") && (shortest == null || r.depth() != null && shortest.depth() != null
                    && r.depth() < shortest.depth())) shortest = r;
        }
        if (shortest != null) {
            return new Certificate.PropertyVerdict(p, required, "violated", "counterexample of " + shortest.depth()
                    + " states in " + shortest.model() + (shortest.javaReplay() == null ? ""
                    : "; on Java: " + firstWords(shortest.javaReplay())), spec, java, javaNote);
        }
        for (PropertyResult r : spec) {
            if (r.verdict().equals("error") || r.verdict().equals("timeout")) {
                return new Certificate.PropertyVerdict(p, required, r.verdict(), r.model() + ": " + r.message(), spec, java, javaNote);
            }
            if (Boolean.FALSE.equals(r.statesInRange())) {
                return new Certificate.PropertyVerdict(p, required, "error", r.model() + ": " + r.message()
                        + "; the manifest pins this design's state count, so the model changed: investigate, then re-measure",
                        spec, java, javaNote);
            }
        }
        for (PropertyResult r : spec) {
            if (r.verdict().equals("vacuous")) {
                return new Certificate.PropertyVerdict(p, required, "vacuous", r.model() + ": " + r.message(), spec, java, javaNote);
            }
        }
        if (!spec.isEmpty()) {
            if (java != null) {
                return new Certificate.PropertyVerdict(p, required, "violated", "the implementation violates it in a "
                        + java.source() + " although every model holds at its bounds: the spec and the code disagree",
                        spec, java, javaNote);
            }
            long max = 0;
            List<String> models = new ArrayList<>();
            java.util.Set<String> witnesses = new java.util.TreeSet<>();
            for (PropertyResult r : spec) {
                max = Math.max(max, r.distinctStates());
                models.add(r.model().replace("--" + designName, ""));
                for (cdna.check.WitnessResult w : r.witnesses()) if (w.reached()) witnesses.add(w.name());
            }
            return new Certificate.PropertyVerdict(p, required, "holds", String.format(Locale.ROOT,
                    "holds in %d model%s (%s), up to %,d distinct states%s", spec.size(), spec.size() == 1 ? "" : "s",
                    String.join(", ", models), max, witnesses.isEmpty() ? ""
                            : "; " + witnesses.size() + (witnesses.size() == 1 ? " witness" : " witnesses") + " reached"), spec, java, javaNote);
        }
        if (java != null) {
            return new Certificate.PropertyVerdict(p, required, "violated", "the implementation violates it in a " + java.source()
                    + "; no model of this profile checks it for this design", spec, java, javaNote);
        }
        if (!complete) {
            return new Certificate.PropertyVerdict(p, required, "not checked", "the certification was interrupted before a model "
                    + "checked it", spec, null, javaNote);
        }
        if (!required) return new Certificate.PropertyVerdict(p, false, "not applicable", notRequiredWhy, spec, null, javaNote);
        return new Certificate.PropertyVerdict(p, true, "not checked", notCheckedWhy, spec, null, javaNote);
    }

    private static String firstWords(String s) {
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

}
