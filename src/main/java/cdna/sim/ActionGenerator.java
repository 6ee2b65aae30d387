package cdna.sim;

import java.util.SplittableRandom;

/** Chooses the next step of a run from the current state; all randomness comes from the caller's generator. */
public interface ActionGenerator {
    Action next(HostSystem s, SplittableRandom rnd);
}
