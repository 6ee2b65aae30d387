package cdna.migration;

/** Host B: the guest's state there, B's copy of its pages, and its CDNA context if B has CDNA (TLA+ dst, memB, directB, devCopies). */
final class DestinationHost {
    /** TLA+ dst. */
    enum Vm { NONE, RESUMING, RUNNING }

    Vm vm = Vm.NONE;
    /** mem[p]: B's copy of guest page p. */
    final int[] mem;
    boolean direct;
    /** How often the device and ring state was copied to B. */
    int devCopies;

    DestinationHost(HandoffConfig c) { mem = new int[c.gPages() + 1]; }

    DestinationHost(DestinationHost o) {
        vm = o.vm; mem = o.mem.clone(); direct = o.direct; devCopies = o.devCopies;
    }
}
