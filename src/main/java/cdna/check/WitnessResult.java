package cdna.check;

import java.util.List;

/**
 * Whether TLC reached one reachability witness in a model under a design.
 *
 * @param status   "reached" (TLC found a trace to it), "unreached" (explored everything, no state satisfies it:
 *                 the properties it backs hold vacuously), "error" or "timeout"
 * @param depth    states in the shortest trace to it (null unless reached)
 * @param distinct distinct states TLC explored to decide it (-1 if unknown)
 * @param trace    the trace to it as TLC printed it, relative to the project root (null unless reached)
 * @param message  why, for anything but "reached"
 * @param commands the TLC command line of the run
 */
public record WitnessResult(String name, String about, String status, Integer depth, long distinct, double seconds,
                            String trace, String message, List<String> commands) {
    public boolean reached() { return status.equals("reached"); }
}
