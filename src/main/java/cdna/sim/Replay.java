package cdna.sim;

import cdna.design.Design;

import java.util.List;

/** Runs a list of steps on a fresh system. */
public final class Replay {
    private Replay() {}

    public static HostSystem run(Config config, Design design, List<Action> trace) {
        HostSystem s = new HostSystem(config, design);
        for (Action a : trace) a.apply(s);
        return s;
    }

    /** True if replaying the trace breaks the property. */
    public static boolean violates(Config config, Design design, List<Action> trace, String property) {
        return run(config, design, trace).checker().violated(property);
    }
}
