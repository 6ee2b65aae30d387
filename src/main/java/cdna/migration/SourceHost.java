package cdna.migration;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Host A, where the guest starts: its memory as the version last written to
 * each guest page, the dirty log, the guest's network path and direct context,
 * and who owns each machine page (TLA+ MigrationHandoff: src, path, unplug,
 * ctx, pending, ownerA, memA, writes, logging, dirty, filterTo).
 */
final class SourceHost {
    /** TLA+ src. */
    enum Vm { RUNNING, STOP, STOP_COPY_DONE }
    /** TLA+ path. */
    enum Path { DIRECT, SOFTWARE, NONE }
    /** TLA+ unplug. */
    enum Unplug { NO, REQUESTED, DONE, FAILED }
    /** TLA+ ctx: ContextOwnership's pipeline as the migration sees it. */
    enum Ctx { ASSIGNED, UNPLUGGED, STOPPED, FREE, OTHER }

    Vm vm = Vm.RUNNING;
    Path path = Path.DIRECT;
    Unplug unplug = Unplug.NO;
    Ctx ctx = Ctx.ASSIGNED;
    /** The guest page the context's one in-flight DMA will write; 0: none. */
    int pending;
    /** owner[p] for machine pages 1..n: Handoff.M, Handoff.O or Handoff.HYP. */
    final String[] owner;
    /** mem[p]: the version last written to guest page p. */
    final int[] mem;
    int writes;
    boolean logging;
    final BitSet dirty = new BitSet();
    /** Whom A's NIC hands frames for the guest's MAC that reach the context. */
    String filterTo = Handoff.M;
    /** Writes the device made into pages the guest no longer owned (the real accesses behind NoDmaAfterRelease). */
    int strayDmaWrites;

    SourceHost(HandoffConfig c) {
        owner = new String[c.aPages() + 1];
        Arrays.fill(owner, Handoff.HYP);
        for (int p = 1; p <= c.gPages(); p++) owner[p] = Handoff.M;
        mem = new int[c.gPages() + 1];
    }

    SourceHost(SourceHost o) {
        vm = o.vm; path = o.path; unplug = o.unplug; ctx = o.ctx; pending = o.pending;
        owner = o.owner.clone(); mem = o.mem.clone(); writes = o.writes; logging = o.logging;
        dirty.or(o.dirty); filterTo = o.filterTo; strayDmaWrites = o.strayDmaWrites;
    }

    /** Stores a new version in guest page p; logged if by the CPU, or by DMA when the design logs device writes. */
    void write(int p, boolean byDma, boolean dirtyLogDma) {
        writes++;
        mem[p] = writes;
        if (logging && (!byDma || dirtyLogDma)) dirty.set(p);
    }

    /** TLA+ ReachA: the machine pages the guest's context may still DMA into. */
    BitSet reach() {
        BitSet r = new BitSet();
        if (ctx != Ctx.ASSIGNED && ctx != Ctx.UNPLUGGED) return r;
        for (int p = 1; p < owner.length; p++) if (owner[p].equals(Handoff.M)) r.set(p);
        if (pending != 0) r.set(pending);
        return r;
    }
}
