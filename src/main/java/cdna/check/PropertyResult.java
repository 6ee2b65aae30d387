package cdna.check;

import java.util.List;

/**
 * The verdict of one property of one model: a row of the check table and an
 * object of reports/check.json and of a certificate.
 *
 * @param expected       the verdict the manifest expects (null: none, as when certifying a new design)
 * @param verdict        "holds", "violated", "vacuous" (holds only because the model never does what the property is
 *                       about: an action never fired or a witness is unreachable), "error" or "timeout"
 * @param distinctStates distinct states of the run that decided the verdict (-1 if unknown)
 * @param trace          the JSON counterexample, relative to the project root, or null
 * @param tlcTrace       the counterexample as TLC printed it, or null
 * @param message        why, for anything but a plain "holds"
 * @param commands       the TLC command lines of the runs behind this verdict
 * @param statesInRange  whether a complete exploration found a state count inside the manifest's range (null: no complete run, or no range)
 * @param javaReplay     for a counterexample: what replaying it on the Java implementation gave (null otherwise)
 * @param itf            the counterexample in the Informal Trace Format, relative to the project root, or null
 * @param coverage       how often each action fired in the run behind the verdict (null: not collected); for
 *                       "violated", in the search up to the counterexample only
 * @param witnesses      for "holds" and "vacuous": the reachability witnesses of this property and whether TLC reached them
 */
public record PropertyResult(String model, String design, String property, String kind, String expected,
                             String verdict, long distinctStates, Integer depth, double seconds, String trace,
                             String tlcTrace, String message, List<String> commands, Boolean statesInRange,
                             String javaReplay, String itf, Coverage coverage, List<WitnessResult> witnesses) {

    public PropertyResult(String model, String design, String property, String kind, String expected, String verdict,
                          long distinctStates, Integer depth, double seconds, String trace, String tlcTrace,
                          String message, List<String> commands, Boolean statesInRange, String javaReplay, String itf) {
        this(model, design, property, kind, expected, verdict, distinctStates, depth, seconds, trace, tlcTrace, message,
                commands, statesInRange, javaReplay, itf, null, List.of());
    }

    /** This result after the vacuity checks: the verdict may turn from "holds" to "vacuous" or "error". */
    public PropertyResult judged(String verdict, String message, Coverage coverage, List<WitnessResult> witnesses,
                                 List<String> moreCommands) {
        List<String> cmds = new java.util.ArrayList<>(commands);
        cmds.addAll(moreCommands);
        return new PropertyResult(model, design, property, kind, expected, verdict, distinctStates, depth, seconds, trace,
                tlcTrace, message, List.copyOf(cmds), statesInRange, javaReplay, itf, coverage, List.copyOf(witnesses));
    }

    public PropertyResult(String model, String design, String property, String kind, String expected, String verdict,
                          long distinctStates, Integer depth, double seconds, String trace, String tlcTrace,
                          String message, List<String> commands, Boolean statesInRange) {
        this(model, design, property, kind, expected, verdict, distinctStates, depth, seconds, trace, tlcTrace, message,
                commands, statesInRange, null, null);
    }

    /** A verdict without a run behind it (an unreadable entry, an interrupted command). */
    public static PropertyResult of(String model, String design, String property, String kind, String expected,
                                    String verdict, String message) {
        return new PropertyResult(model, design, property, kind, expected, verdict, -1, null, 0, null, null, message,
                List.of(), null, null, null);
    }

    /** As the manifest expects, and (when the model was explored completely) of the expected size. */
    public boolean asExpected() {
        return expected != null && expected.equals(verdict) && !Boolean.FALSE.equals(statesInRange);
    }
}
