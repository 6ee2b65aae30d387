package cdna.trace;

import java.util.Map;

/**
 * One state of a TLC counterexample.
 *
 * @param index    1-based position in the trace, as TLC numbers it
 * @param action   the action that produced it ("Init" for the first state)
 * @param location where TLC says that action is defined, or null
 * @param vars     every variable's value
 */
public record TraceState(int index, String action, String location, Map<String, TlaValue> vars) {}
