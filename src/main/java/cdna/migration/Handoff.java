package cdna.migration;

import cdna.design.Design;
import cdna.migration.SourceHost.Ctx;
import cdna.migration.SourceHost.Path;
import cdna.migration.SourceHost.Unplug;

/**
 * The migration of a guest that drives a NIC context directly on host A to
 * host B: the Java twin of specs/MigrationHandoff.tla.  Each public method is
 * the TLA+ action of the same name; it returns false, changing nothing, where
 * the action is not enabled.  The design's migration switches
 * (DirtyLogDma, FailoverBeforeUnplug, ReleaseAfterStop, ResumeAfterStopCopy,
 * StopBeforeResume, ClearMacOnRelease, ResumeWaitsForDirect) drop or reorder
 * steps exactly as in the spec.
 */
public final class Handoff {
    /** The migrating guest (TLA+ M). */
    public static final String M = "M";
    /** The other guest on A, which takes what A frees (TLA+ O). */
    public static final String O = "O";
    /** The hypervisor as page owner, with the free pool (TLA+ Hyp). */
    public static final String HYP = "Hyp";

    private final HandoffConfig config;
    private final Design design;
    final SourceHost a;
    final DestinationHost b;
    final Network net;
    boolean migrating;
    boolean cancelled;
    private long steps;

    public Handoff(HandoffConfig config, Design design) {
        this.config = config;
        this.design = design;
        this.a = new SourceHost(config);
        this.b = new DestinationHost(config);
        this.net = new Network(config);
    }

    private Handoff(Handoff o) {
        config = o.config; design = o.design;
        a = new SourceHost(o.a); b = new DestinationHost(o.b); net = new Network(o.net);
        migrating = o.migrating; cancelled = o.cancelled; steps = o.steps;
    }

    public Handoff copy() { return new Handoff(this); }

    public HandoffConfig config() { return config; }
    public Design design() { return design; }
    public long steps() { return steps; }
    /** The migration was given up (TLA+ cancelled). */
    public boolean isCancelled() { return cancelled; }

    private boolean guestPage(int p) { return p >= 1 && p <= config.gPages(); }
    private boolean frame(int f) { return f >= 1 && f <= config.maxFrames(); }
    private boolean done() { steps++; return true; }

    // ------------------------------------------------------------------ the guest and its device on A

    /** The guest's vCPU stores into page p. */
    public boolean guestWrite(int p) {
        if (!guestPage(p) || a.vm != SourceHost.Vm.RUNNING || a.writes >= config.maxWrites()) return false;
        a.write(p, false, design.dirtyLogDma());
        return done();
    }

    /** The context's in-flight DMA lands; in a page the guest no longer owns it is a stray write. */
    public boolean deviceWrite() {
        if (a.pending == 0 || (a.ctx != Ctx.ASSIGNED && a.ctx != Ctx.UNPLUGGED)) return false;
        int p = a.pending;
        if (a.owner[p].equals(M)) {
            if (a.writes >= config.maxWrites()) return false;
            a.write(p, true, design.dirtyLogDma());
        } else {
            a.strayDmaWrites++;
        }
        a.pending = 0;
        return done();
    }

    // ------------------------------------------------------------------ the network

    public boolean sendFrame() {
        if (net.sent >= config.maxFrames()) return false;
        net.sent++;
        net.flight.add(net.sent);
        return done();
    }

    public boolean dropFrame(int f) {
        if (!net.flight.remove(f)) return false;
        return done();
    }

    /** Frame f reaches A, into guest page p if the guest takes it there. */
    public boolean landOnA(int f, int p) { return land(f, p, false); }

    /** While both hosts claim the MAC the switch floods: f reaches A and the guest on B. */
    public boolean flood(int f, int p) {
        if (!(net.macA && net.macB && b.vm == DestinationHost.Vm.RUNNING)) return false;
        return land(f, p, true);
    }

    private boolean land(int f, int p, boolean alsoB) {
        if (!frame(f) || !guestPage(p) || !net.flight.contains(f)) return false;
        net.flight.remove(f);
        if (a.filterTo.equals(O) && a.ctx == Ctx.OTHER) {
            net.deliver(f, "O");
        } else if (a.path == Path.DIRECT && a.ctx == Ctx.ASSIGNED && a.vm == SourceHost.Vm.RUNNING && a.pending == 0) {
            a.pending = p;
            net.deliver(f, "A");
        } else if (a.path == Path.SOFTWARE && a.vm == SourceHost.Vm.RUNNING && a.writes < config.maxWrites()) {
            a.write(p, false, design.dirtyLogDma());
            net.deliver(f, "A");
        }
        if (alsoB) net.deliver(f, "B");
        return done();
    }

    public boolean landOnB(int f) {
        if (!net.flight.remove(f)) return false;
        if (b.vm == DestinationHost.Vm.RUNNING) net.deliver(f, "B");
        return done();
    }

    // ------------------------------------------------------------------ the migration, on A

    public boolean startMigration() {
        if (migrating || cancelled || a.vm != SourceHost.Vm.RUNNING) return false;
        migrating = true;
        a.logging = true;
        for (int p = 1; p <= config.gPages(); p++) a.dirty.set(p);
        return done();
    }

    public boolean failover() {
        if (!migrating || a.path != Path.DIRECT) return false;
        a.path = Path.SOFTWARE;
        return done();
    }

    public boolean requestUnplug() {
        if (!migrating || a.unplug != Unplug.NO) return false;
        if (design.failoverBeforeUnplug() && a.path != Path.SOFTWARE) return false;
        a.unplug = Unplug.REQUESTED;
        return done();
    }

    public boolean unplugDone() {
        if (a.unplug != Unplug.REQUESTED) return false;
        a.unplug = Unplug.DONE;
        a.ctx = Ctx.UNPLUGGED;
        if (a.path == Path.DIRECT) a.path = Path.NONE;
        return done();
    }

    public boolean unplugFails() {
        if (!config.mayCancel() || a.unplug != Unplug.REQUESTED || !cancellable()) return false;
        a.unplug = Unplug.FAILED;
        cancel();
        return done();
    }

    public boolean cancelMigration() {
        if (!config.mayCancel() || !cancellable()) return false;
        cancel();
        return done();
    }

    private boolean cancellable() {
        return migrating && a.vm == SourceHost.Vm.RUNNING && b.vm == DestinationHost.Vm.NONE;
    }

    private void cancel() {
        migrating = false;
        cancelled = true;
        a.logging = false;
        a.dirty.clear();
    }

    /** A resets the detached context (its in-flight DMA is dropped) and flushes its mappings. */
    public boolean quiesceContext() {
        if (a.ctx != Ctx.UNPLUGGED) return false;
        a.ctx = Ctx.STOPPED;
        a.pending = 0;
        return done();
    }

    public boolean copyPage(int p) {
        if (!migrating || !guestPage(p) || !a.dirty.get(p) || a.vm == SourceHost.Vm.STOP_COPY_DONE) return false;
        b.mem[p] = a.mem[p];
        a.dirty.clear(p);
        return done();
    }

    public boolean stop() {
        if (!migrating || a.vm != SourceHost.Vm.RUNNING || a.unplug != Unplug.DONE || a.ctx != Ctx.STOPPED) return false;
        a.vm = SourceHost.Vm.STOP;
        net.macA = false;
        return done();
    }

    public boolean stopCopyDone() {
        if (!migrating || a.vm != SourceHost.Vm.STOP || !a.dirty.isEmpty()) return false;
        a.vm = SourceHost.Vm.STOP_COPY_DONE;
        b.devCopies++;
        return done();
    }

    // ------------------------------------------------------------------ the migration, on B

    public boolean resume() {
        if (!migrating || b.vm != DestinationHost.Vm.NONE) return false;
        if (design.stopBeforeResume() && a.vm == SourceHost.Vm.RUNNING) return false;
        if (design.resumeAfterStopCopy() && a.vm == SourceHost.Vm.STOP) return false;
        b.vm = DestinationHost.Vm.RESUMING;
        if (a.vm != SourceHost.Vm.STOP_COPY_DONE) b.devCopies++;
        return done();
    }

    public boolean attachDirectB() {
        if (!config.bHasCdna() || b.vm == DestinationHost.Vm.NONE || b.direct) return false;
        b.direct = true;
        return done();
    }

    public boolean runOnB() {
        if (b.vm != DestinationHost.Vm.RESUMING || (design.resumeWaitsForDirect() && !b.direct)) return false;
        b.vm = DestinationHost.Vm.RUNNING;
        net.macB = true;
        return done();
    }

    // ------------------------------------------------------------------ release on A, and the other guest

    public boolean releasePages() {
        if (!migrating || a.unplug != Unplug.DONE) return false;
        if (design.releaseAfterStop()
                && !((a.ctx == Ctx.STOPPED || a.ctx == Ctx.FREE || a.ctx == Ctx.OTHER) && b.vm == DestinationHost.Vm.RUNNING)) return false;
        boolean any = false;
        for (int p = 1; p < a.owner.length; p++) {
            if (a.owner[p].equals(M)) {
                a.owner[p] = HYP;
                any = true;
            }
        }
        return any && done();
    }

    public boolean releaseContext() {
        if (a.ctx != Ctx.STOPPED || b.vm != DestinationHost.Vm.RUNNING) return false;
        a.ctx = Ctx.FREE;
        if (design.clearMacOnRelease()) a.filterTo = HYP;
        return done();
    }

    public boolean assignToOther() {
        if (a.ctx != Ctx.FREE) return false;
        a.ctx = Ctx.OTHER;
        if (a.filterTo.equals(M)) a.filterTo = O;
        return done();
    }

    public boolean otherTakesPage(int p) {
        if (p < 1 || p >= a.owner.length || !a.owner[p].equals(HYP)) return false;
        a.owner[p] = O;
        return done();
    }
}
