package cdna.conformance;

import java.util.List;

/**
 * What replaying one TLC counterexample on the Java implementation showed.
 *
 * @param trace        the trace file, as given
 * @param model        the manifest model the trace came from
 * @param design       its design
 * @param property     the property TLC found violated
 * @param reproduced   every state agreed and the isolation checker flagged an accepted property
 *                     ({@link TraceReplay#acceptedFlags}) first at the trace's last state, where TLC found it;
 *                     for a NoLostInterrupt lasso, what {@link LassoReplay} requires (the cycle closes on Java,
 *                     twice, is fair, and leaves the same guest owed the event, which the checker flags)
 * @param states       states in the trace (Init included)
 * @param stepsApplied steps after Init that Java took (a step Java refuses ends the replay); for a lasso, the
 *                     loop step and the second turn of the cycle count too
 * @param divergence   the first disagreement between the trace and Java (state, variable, trace value, Java value), or null
 * @param flagged      what the checker reported, one entry per new violation: "Property@stateIndex (KIND)"
 * @param notes        what the replay did that the trace does not show (doorbell rings for ModelDoorbell = FALSE),
 *                     which accepted property the checker raised for a refinement property, and the checker's details
 * @param summary      one line for a table
 */
public record ReplayResult(String trace, String model, String design, String property, boolean reproduced, int states,
                           int stepsApplied, String divergence, List<String> flagged, List<String> notes, String summary) {
    public ReplayResult {
        flagged = List.copyOf(flagged);
        notes = List.copyOf(notes);
    }
}
