package cdna.sim;

import cdna.design.Design;
import cdna.hypervisor.Buffer;
import cdna.hypervisor.Hypervisor;
import cdna.hypervisor.IoBuffer;
import cdna.hypervisor.Phase;
import cdna.iommu.Iommu;
import cdna.memory.HostMemory;
import cdna.nic.Descriptor;
import cdna.nic.DmaPort;
import cdna.nic.DescriptorQueue;
import cdna.nic.Dir;
import cdna.nic.Engine;
import cdna.nic.Frame;
import cdna.nic.Nic;
import cdna.nic.Segment;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The composed machine: host memory, the NIC, the IOMMU, the hypervisor, and
 * the isolation checker watching every DMA access.  Deterministic (time is
 * {@link #tick()}, there is no randomness) and cheap to {@link #copy()}.
 *
 * <p>The public actions are the TLA+ actions of CdnaProtection and
 * IommuProtection, and of ContextOwnership, which composes them with context
 * reassignment and interrupt delivery, with the spec's parameter order; a call
 * returns whether the step was enabled, and a disabled step changes nothing.  Spec actions act on
 * a context's RX ring, the one the specs model (the ring the device writes
 * through); overloads taking a {@link Dir} reach the TX ring.  {@link #as}
 * gives the guest-facing boundary, which also checks that the caller owns
 * the context it names.
 */
public final class HostSystem {
    private final Config config;
    private final Design design;
    private final HostMemory mem;
    private final Nic nic;
    private final Iommu iommu;
    private final Hypervisor hyp;
    private final IsolationChecker checker;
    private final Map<String, Integer> ctxIndex;
    // The bus: DMA goes through the IOMMU (true) or straight to memory (false).
    private final boolean translated;
    private long step;
    private long time;
    private String action = "Init";

    // Ghost state of ContextOwnership, kept only for the checker and the abstraction:
    // who each ring slot was issued for (slotOwner), whose descriptor each engine
    // works on (engineOwner), the guest owed a virtual interrupt per context (owedTo,
    // null for NoGuest), and the translations a domain change left in the IOTLB.
    private final String[][][] slotOwner;
    // Under IOMMU protection, the guest that wrote each slot of a context's rings itself (null: not
    // written since the last reset); an empty slot has no writer (TLA+ slotOwner with ModelIommuRing).
    private final String[][][] ringWriter;
    // Under IOMMU protection, who wrote the descriptor each engine works on (for NoStaleDma at an access).
    private final String[][] engineWriter;
    private final String[][] engineOwner;
    private final String[] owedTo;
    private final List<TreeMap<Integer, BitSet>> revokedStale;
    private long reassignments;
    private long stopsWithDmaInFlight;

    public HostSystem(Config config, Design design) { this(config, design, Set.of()); }

    /** A system whose code carries the given planted faults (tests only: see {@link cdna.design.Mutant}). */
    public HostSystem(Config config, Design design, Set<cdna.design.Mutant> mutants) {
        this.config = config;
        this.design = design;
        this.mem = new HostMemory(config.nPages(), config.pageSize());
        for (int p : config.privatePages()) mem.setPrivate(p);
        // A sliced page's upper half holds its owner's data from the start, so a leak of it shows in the data.
        for (var e : config.slices().entrySet()) {
            mem.slice(e.getKey(), e.getValue());
            for (long a = mem.pageStart(e.getKey()) + config.pageSize() / 2; a < mem.pageStart(e.getKey()) + config.pageSize(); a++) {
                if (config.guests().contains(e.getValue())) mem.write(a, (byte) 0x5a, config.guests().indexOf(e.getValue()) + 1);
            }
        }
        this.translated = design.protection() == Design.Protection.IOMMU;
        this.nic = new Nic(config.contexts(), config.ringSize(), config.seqMod(), !translated && design.sequenceNumbers());
        this.iommu = new Iommu(config.pageSize(), design.interruptRemapping());
        this.hyp = new Hypervisor(design, mem, nic, iommu, config.guests(), config.ctxOwners(), config.maxLen());
        hyp.setVirqListener(this::onVirq);
        nic.setMutants(mutants);
        hyp.setMutants(mutants);
        this.ctxIndex = new LinkedHashMap<>();
        for (int c = 0; c < config.contexts().size(); c++) ctxIndex.put(config.contexts().get(c), c);
        if (config.framesAlwaysWaiting()) {
            int[] prov = new int[config.contexts().size()];
            for (int c = 0; c < prov.length; c++) prov[c] = guestTag(config.ctxOwners().get(c));
            nic.setFramesAlwaysWaiting(prov);
        }
        this.checker = new IsolationChecker();
        int n = config.contexts().size();
        slotOwner = new String[n][2][config.ringSize()];
        ringWriter = new String[n][2][config.ringSize()];
        engineWriter = new String[n][2];
        engineOwner = new String[n][2];
        owedTo = new String[n];
        revokedStale = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            for (Dir d : Dir.values()) {
                java.util.Arrays.fill(slotOwner[c][d.ordinal()], config.ctxOwners().get(c));
                engineOwner[c][d.ordinal()] = config.ctxOwners().get(c);
            }
            revokedStale.add(new TreeMap<>());
        }
        // TLC checks invariants in the initial state too (without remapping, NoInjectedInterrupt fails there).
        checker.afterStep(this);
    }

    private HostSystem(HostSystem o) {
        config = o.config;
        design = o.design;
        mem = o.mem.copy();
        nic = o.nic.copy();
        iommu = o.iommu.copy();
        hyp = o.hyp.copy(mem, nic, iommu);
        hyp.setVirqListener(this::onVirq);
        ctxIndex = o.ctxIndex;
        translated = o.translated;
        checker = o.checker.copy();
        step = o.step;
        time = o.time;
        action = o.action;
        slotOwner = new String[o.slotOwner.length][2][];
        ringWriter = new String[o.ringWriter.length][2][];
        engineWriter = new String[o.engineWriter.length][];
        engineOwner = new String[o.engineOwner.length][];
        for (int c = 0; c < slotOwner.length; c++) {
            for (int d = 0; d < 2; d++) {
                slotOwner[c][d] = o.slotOwner[c][d].clone();
                ringWriter[c][d] = o.ringWriter[c][d].clone();
            }
            engineWriter[c] = o.engineWriter[c].clone();
            engineOwner[c] = o.engineOwner[c].clone();
        }
        owedTo = o.owedTo.clone();
        revokedStale = new ArrayList<>();
        for (TreeMap<Integer, BitSet> m : o.revokedStale) {
            TreeMap<Integer, BitSet> t = new TreeMap<>();
            m.forEach((p, b) -> t.put(p, (BitSet) b.clone()));
            revokedStale.add(t);
        }
        reassignments = o.reassignments;
        stopsWithDmaInFlight = o.stopsWithDmaInFlight;
        if (o.ringProbes != null) {
            ringProbes = new RingProbe[o.ringProbes.length][];
            for (int c = 0; c < ringProbes.length; c++) ringProbes[c] = o.ringProbes[c].clone();
        }
    }

    /** An independent snapshot: stepping the copy leaves this system alone. */
    public HostSystem copy() { return new HostSystem(this); }

    public Config config() { return config; }
    public Design design() { return design; }
    public HostMemory memory() { return mem; }
    public Nic nic() { return nic; }
    public Iommu iommu() { return iommu; }
    public Hypervisor hypervisor() { return hyp; }
    public IsolationChecker checker() { return checker; }
    public long stepCount() { return step; }
    public long time() { return time; }
    public String lastAction() { return action; }

    private boolean software() { return !translated; }

    /** Whether the bus translates DMA through the IOMMU (false: the device addresses memory directly). */
    public boolean translated() { return translated; }

    /** -1 for a name that is not a context. */
    public int ctx(String c) {
        Integer i = c == null ? null : ctxIndex.get(c);
        return i == null ? -1 : i;
    }

    public String ctxOwner(int c) { return hyp.ctxOwner(c); }

    /** TLA+: phase[c]. */
    public Phase phase(int c) { return hyp.phase(c); }

    /** TLA+: owedTo[c]: the guest owed a virtual interrupt for c's undelivered event, or null (NoGuest). */
    public String owedTo(int c) { return owedTo[c]; }

    /** AssignContext steps taken so far. */
    public long reassignments() { return reassignments; }

    /** StopContext steps taken while the device could still touch memory for the context. */
    public long stopsWithDmaInFlight() { return stopsWithDmaInFlight; }

    private String ctxName(int c) { return config.contexts().get(c); }

    int guestTag(String g) { return config.guests().indexOf(g) + 1; }

    String guestOfTag(int tag) { return tag <= 0 || tag > config.guests().size() ? null : config.guests().get(tag - 1); }

    // ------------------------------------------------------------------ stepping

    private boolean step(String label, boolean enabled) {
        if (enabled) {
            step++;
            action = label;
            pruneRevokedStale();
            checker.afterStep(this);
            if (stepLog != null) stepLog.accept(this);
        }
        return enabled;
    }

    // Told of every enabled step, one spec-sized step at a time (composite calls such as
    // deliverInterrupts report each of their steps); not carried over by copy().
    private java.util.function.Consumer<HostSystem> stepLog;

    /** Calls {@code log} after every enabled step from now on (null: nobody), for logging runs step by step. */
    public void setStepLog(java.util.function.Consumer<HostSystem> log) { this.stepLog = log; }

    private void begin(String label) { action = label; }

    // TLA+: AllocatePage(g, p)
    public boolean allocatePage(String g, int p) {
        return step("AllocatePage(" + g + ", " + p + ")", hyp.allocatePage(g, p));
    }

    // TLA+: FreePage(g, p)
    public boolean freePage(String g, int p) {
        return step("FreePage(" + g + ", " + p + ")", hyp.freePage(g, p));
    }

    // TLA+: TransferPage(g, h, p)
    public boolean transferPage(String g, String h, int p) {
        return step("TransferPage(" + g + ", " + h + ", " + p + ")", hyp.transferPage(g, h, p));
    }

    // TLA+: PostDescriptor(c, b)
    public boolean postDescriptor(String c, Buffer b) { return postDescriptor(c, Dir.RX, b); }

    // TLA+: PostDescriptor(c, b), on either ring
    public boolean postDescriptor(String c, Dir d, Buffer b) {
        int i = ctx(c);
        int slot = i < 0 || d == null ? 0 : hyp.prod(i, d) % config.ringSize();
        boolean ok = d != null && hyp.postDescriptor(i, d, b);
        if (ok) slotOwner[i][d.ordinal()][slot] = hyp.ctxOwner(i);
        return step("PostDescriptor(" + c + ", " + d + ", " + b + ")", ok);
    }

    /** TLA+: NoCall, no enqueue hypercall in progress. */
    public static final Buffer NO_CALL = new Buffer(0, 0);

    // TLA+: ValidateBuffer(c, b), the first step of the two-step hypercall
    public boolean validateBuffer(String c, Buffer b) { return validateBuffer(c, Dir.RX, b); }

    // TLA+: ValidateBuffer(c, b), on either ring
    public boolean validateBuffer(String c, Dir d, Buffer b) {
        return step("ValidateBuffer(" + c + ", " + d + ", " + b + ")", d != null && hyp.validateBuffer(ctx(c), d, b));
    }

    // TLA+: PinAndPost(c), its second step
    public boolean pinAndPost(String c) { return pinAndPost(c, Dir.RX); }

    // TLA+: PinAndPost(c), on either ring
    public boolean pinAndPost(String c, Dir d) {
        int i = ctx(c);
        int slot = i < 0 || d == null ? 0 : hyp.prod(i, d) % config.ringSize();
        boolean ok = d != null && hyp.pinAndPost(i, d);
        if (ok) slotOwner[i][d.ordinal()][slot] = hyp.ctxOwner(i);
        return step("PinAndPost(" + c + ", " + d + ")", ok);
    }

    // TLA+: PostDescriptor(c, b) for each b in order, batched in one hypercall
    public int postDescriptors(String c, Dir d, List<Buffer> bs) {
        int i = ctx(c);
        int first = i < 0 || d == null ? 0 : hyp.prod(i, d);
        int n = d == null ? 0 : hyp.postDescriptors(i, d, bs);
        for (int k = 0; k < n; k++) slotOwner[i][d.ordinal()][(first + k) % config.ringSize()] = hyp.ctxOwner(i);
        step("PostDescriptors(" + c + ", " + d + ", " + bs + ")", n > 0);
        return n;
    }

    // TLA+: RingDoorbell(c, v)
    public boolean ringDoorbell(String c, long v) { return ringDoorbell(c, Dir.RX, v); }

    // TLA+: RingDoorbell(c, v), on either ring
    public boolean ringDoorbell(String c, Dir d, long v) {
        int i = ctx(c);
        // Someone must still have the doorbell mapped (TLA+: holders[c] # {}).
        if (i < 0 || d == null || hyp.holders(i).isEmpty()) return false;
        nic.ringDoorbell(i, d, v);
        return step("RingDoorbell(" + c + ", " + d + ", " + v + ")", true);
    }

    // TLA+: NicFetch(c)
    public boolean nicFetch(String c) { return nicFetch(c, Dir.RX); }

    // TLA+: NicFetch(c), on either ring
    public boolean nicFetch(String c, Dir d) {
        int i = ctx(c);
        if (i < 0 || d == null) return false;
        int slot = nic.queue(i, d).nicNext() % config.ringSize();
        boolean ok = nic.nicFetch(i, d);
        if (ok) {
            engineOwner[i][d.ordinal()] = slotOwner[i][d.ordinal()][slot];
            engineWriter[i][d.ordinal()] = ringWriter[i][d.ordinal()][slot];
        }
        return step("NicFetch(" + c + ", " + d + ")", ok);
    }

    // TLA+: NicDma(c)
    public boolean nicDma(String c) { return nicDma(c, Dir.RX); }

    // TLA+: NicDma(c), on either ring
    public boolean nicDma(String c, Dir d) {
        int i = ctx(c);
        if (i < 0 || d == null) return false;
        begin("NicDma(" + c + ", " + d + ")");
        return step(action, nic.nicDma(i, d, config.pageSize(), this::dma));
    }

    // TLA+: ReapCompletions(c)
    public boolean reapCompletions(String c) { return reapCompletions(c, Dir.RX); }

    // TLA+: ReapCompletions(c), on either ring
    public boolean reapCompletions(String c, Dir d) {
        return step("ReapCompletions(" + c + ", " + d + ")", d != null && hyp.reapCompletions(ctx(c), d));
    }

    // TLA+: MapBuffer(c, b)
    public boolean mapBuffer(String c, IoBuffer b) {
        return step("MapBuffer(" + c + ", " + b + ")", hyp.mapBuffer(ctx(c), b));
    }

    // TLA+: UnmapBuffer(c, b)
    public boolean unmapBuffer(String c, IoBuffer b) {
        return step("UnmapBuffer(" + c + ", " + b + ")", hyp.unmapBuffer(ctx(c), b));
    }

    // TLA+: FlushIotlb
    public boolean flushIotlb() {
        return step("FlushIotlb", !software() && hyp.flushIotlb());
    }

    /**
     * Under IOMMU protection the guest writes its ring itself (TLA+: no action;
     * IommuProtection folds whatever the device is told into DeviceReach).  A
     * slot index outside the ring is a write outside the ring's registers and
     * is ignored.  Under CDNA the ring is read-only to guests: refused.
     */
    public boolean writeDescriptor(String c, Dir d, int slot, Descriptor desc) {
        int i = ctx(c);
        return writeDescriptor(i < 0 ? null : hyp.ctxOwner(i), c, d, slot, desc);
    }

    // TLA+: WriteDescriptor(c, i, g) (ContextOwnership with ModelIommuRing): guest g wrote the slot.
    private boolean writeDescriptor(String g, String c, Dir d, int slot, Descriptor desc) {
        int i = ctx(c);
        boolean ok = !software() && i >= 0 && d != null && desc != null && slot >= 0 && slot < config.ringSize()
                && !hyp.holders(i).isEmpty();
        if (ok) {
            nic.writeSlot(i, d, slot, desc);
            ringWriter[i][d.ordinal()][slot] = g;
        }
        return step("WriteDescriptor(" + c + ", " + d + ", " + slot + ", " + g + ", " + desc + ")", ok);
    }

    /**
     * TLA+ slotOwner[c] under IOMMU protection with ModelIommuRing, for the RX ring: who wrote each
     * slot, {@link #NO_GUEST} for an empty one (a function-level reset empties them all).
     */
    public List<String> ringWriters(int c) {
        List<String> r = new ArrayList<>();
        for (int slot = 0; slot < config.ringSize(); slot++) r.add(writerOf(c, Dir.RX, slot));
        return r;
    }

    private String writerOf(int c, Dir d, int slot) {
        String w = ringWriter[c][d.ordinal()][slot];
        return nic.queue(c, d).slot(slot).isEmpty() || w == null ? NO_GUEST : w;
    }

    /**
     * A frame arrives from the wire; demultiplexed by destination MAC through
     * the receive filters the hypervisor programs (a MAC no context claims is
     * dropped, and so are frames for a context that is being revoked:
     * they belong to no tenure, and must not reach its next owner).
     */
    public boolean receiveFrame(String dstMac, byte[] payload) {
        if (dstMac == null || payload == null) return false;
        int c = nic.demux(dstMac);
        Frame f = new Frame(nic.nextFrameId(), dstMac, payload.clone(), c < 0 ? 0 : guestTag(hyp.ctxOwner(c)));
        nic.receive(f);
        if (c >= 0 && hyp.phase(c) != Phase.ASSIGNED) nic.dropInbound(c);
        return step("ReceiveFrame(" + dstMac + ", " + payload.length + " bytes)", true);
    }

    /**
     * The NIC raises an interrupt for every context it has events for, and the
     * hypervisor's interrupt path runs to completion: each flagged context's
     * owner gets a virtual interrupt.  A sequence of spec steps (NicRaise, then
     * {@link #runInterruptPath}); returns how many virtual interrupts were sent.
     */
    public int deliverInterrupts() {
        long before = hyp.interruptsDelivered();
        for (int c = 0; c < config.contexts().size(); c++) if (nic.hasEvent(c)) nicRaise(ctxName(c));
        runInterruptPath();
        return (int) (hyp.interruptsDelivered() - before);
    }

    /**
     * The hypervisor's interrupt path, the part of ContextOwnership that is
     * weakly fair (HandleInterrupt, or ClearVector and ScanVector, then
     * DeliverVirq for each taken context), run until none of it is enabled.
     * Returns the number of steps taken.  The only choice that matters is a
     * clear and a scan both due: clearing first loses every bit scanning first
     * would have taken, so this order is the fair completion that loses most,
     * which is what the NoLostInterrupt check needs.
     */
    public int runInterruptPath() {
        int n = 0;
        for (boolean progress = true; progress; ) {
            progress = false;
            if (handleInterrupt() || clearVector() || scanVector()) {
                progress = true;
                n++;
            }
            for (int c = 0; c < config.contexts().size(); c++) {
                if (deliverVirq(ctxName(c))) {
                    progress = true;
                    n++;
                }
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ ownership: revocation and assignment

    // TLA+: StopContext(c)
    public boolean stopContext(String c) {
        int i = ctx(c);
        if (i < 0) return false;
        boolean inFlight = !deviceReachPages(i).isEmpty();
        // A pending interrupt settled with the outgoing owner arrives through onVirq, under this label.
        begin("StopContext(" + c + ")");
        boolean ok = hyp.stopContext(i);
        if (ok && inFlight) stopsWithDmaInFlight++;
        return step("StopContext(" + c + ")", ok);
    }

    // TLA+: QuiesceContext(c)
    public boolean quiesceContext(String c) {
        int i = ctx(c);
        return step("QuiesceContext(" + c + ")", i >= 0 && hyp.quiesceContext(i));
    }

    // TLA+: UnmapContext(c)
    public boolean unmapContext(String c) {
        int i = ctx(c);
        if (i < 0) return false;
        Map<Integer, BitSet> before = iommu.stale(hyp.rid(i));
        boolean ok = hyp.unmapContext(i);
        if (ok) {
            // What this unmap left behind: translations the IOTLB still holds that it did not hold before.
            iommu.stale(hyp.rid(i)).forEach((p, b) -> {
                BitSet left = (BitSet) b.clone();
                if (before.containsKey(p)) left.andNot(before.get(p));
                if (!left.isEmpty()) revokedStale.get(i).computeIfAbsent(p, k -> new BitSet()).or(left);
            });
        }
        return step("UnmapContext(" + c + ")", ok);
    }

    // TLA+: UnpinContext(c)
    public boolean unpinContext(String c) {
        int i = ctx(c);
        return step("UnpinContext(" + c + ")", i >= 0 && hyp.unpinContext(i));
    }

    // TLA+: AssignContext(c, g)
    public boolean assignContext(String c, String g) {
        int i = ctx(c);
        boolean ok = i >= 0 && hyp.assignContext(i, g);
        if (ok) {
            // The wire now carries the new owner's traffic for this context.
            nic.setProvenance(i, guestTag(g));
            reassignments++;
        }
        return step("AssignContext(" + c + ", " + g + ")", ok);
    }

    // ------------------------------------------------------------------ interrupts

    // TLA+: NicRaise(c)
    public boolean nicRaise(String c) {
        int i = ctx(c);
        boolean ok = i >= 0 && hyp.nicRaise(i);
        if (ok && owedTo[i] == null) owedTo[i] = hyp.ctxOwner(i);
        return step("NicRaise(" + c + ")", ok);
    }

    // TLA+: HandleInterrupt
    public boolean handleInterrupt() { return step("HandleInterrupt", hyp.handleInterrupt()); }

    // TLA+: ClearVector
    public boolean clearVector() { return step("ClearVector", hyp.clearVector()); }

    // TLA+: ScanVector
    public boolean scanVector() { return step("ScanVector", hyp.scanVector()); }

    // TLA+: DeliverVirq(c)
    public boolean deliverVirq(String c) {
        int i = ctx(c);
        if (i < 0) return false;
        begin("DeliverVirq(" + c + ")");
        return step("DeliverVirq(" + c + ")", hyp.deliverVirq(i));
    }

    /**
     * Every virtual interrupt the hypervisor raises, where it actually goes.  One
     * from the interrupt path (or settled at stop) is judged against the guest
     * owed c's event, and settles that debt if it reaches that guest: its handler
     * processes every completion of c.  One from an MSI is judged against c's owner.
     */
    private void onVirq(int c, String to, boolean msi) {
        if (msi) {
            checker.onMsi(this, c, to);
            return;
        }
        String owed = owedTo[c];
        checker.onVirq(this, c, to, owed);
        if (to.equals(owed)) owedTo[c] = null;
    }

    /**
     * Not a spec action: the device of context c sends an MSI for vector v (the
     * vector of guest v), which a guest driving c directly can make it do.
     * Enabled for an assigned context and a vector that exists, and under
     * software protection only for the vector the hypervisor programmed (a
     * foreign one needs a DMA write into the interrupt range); with interrupt
     * remapping it may be blocked.  The spec covers it with CanRaise(c).
     */
    public boolean sendMsi(String c, String v) {
        int i = ctx(c);
        if (i < 0 || v == null || !config.guests().contains(v) || hyp.phase(i) != Phase.ASSIGNED) return false;
        // Under software protection the guest has no handle on the NIC's MSI: it sends the programmed vector or none.
        if (software() && !hyp.canRaise(i).contains(v)) return false;
        begin("SendMsi(" + c + ", " + v + ")");
        hyp.sendMsi(i, v);
        return step("SendMsi(" + c + ", " + v + ")", true);
    }

    /**
     * Time passes by one tick.  Under deferred invalidation the flush timer
     * fires every flushPeriod ticks (TLA+: FlushIotlb, when anything is stale).
     */
    public boolean tick() {
        time++;
        // The timer's flush is the spec's FlushIotlb, a step of its own (a log that named it Tick would claim the IOTLB
        // changed in a step the spec says leaves it alone).
        boolean flushed = !software() && design.invalidation() == Design.Invalidation.DEFERRED
                && time % config.flushPeriod() == 0 && flushIotlb();
        step("Tick(" + time + ")", true);
        return flushed;
    }

    /** A guest's CPU stores into its own memory; refused (a page fault) on a page it does not own. */
    public boolean guestWrite(String g, long addr, byte[] data) {
        if (g == null || data == null || !mem.containsRange(addr, data.length)) return false;
        for (long a = addr; a < addr + data.length; a++) if (!mem.ownerAt(a).equals(g)) return false;
        for (int i = 0; i < data.length; i++) mem.write(addr + i, data[i], guestTag(g));
        return step("GuestWrite(" + g + ", " + addr + ", " + data.length + " bytes)", true);
    }

    // ------------------------------------------------------------------ the bus

    /** The NIC's DmaPort: the bus without an IOMMU, translation through it otherwise. */
    private boolean dma(int c, Dir d, long addr, byte[] data, int provenance) {
        boolean ok = software() ? mem.containsRange(addr, data.length)
                : iommu.translate(hyp.rid(c), addr, data.length) && mem.containsRange(addr, data.length);
        if (!ok) return false;
        // IOVAs are identified with machine addresses (IommuProtection), so a translation is the identity.
        checker.onAccess(this, c, d, addr, data.length);
        checker.onStaleAccess(this, c, d, addr, data.length, !software());
        boolean msiSent = false;
        for (int i = 0; i < data.length; i++) {
            if (d == Dir.RX && config.msiPages().contains(mem.pageOf(addr + i))) {
                // The interrupt address range is not memory: a write there is an MSI, one per transfer,
                // asking for the vector its first byte names (every byte value names one, as every MSI data value does).
                if (!msiSent) {
                    msiSent = true;
                    hyp.msiWrite(c, vectorNamed(data[i]));
                }
            } else if (d == Dir.RX) {
                mem.write(addr + i, data[i], provenance);
            } else {
                data[i] = mem.read(addr + i);
            }
        }
        return true;
    }

    /** The vector an MSI's data byte asks for: byte b names the vector of guest number b modulo the number of guests. */
    private String vectorNamed(byte b) {
        return config.guests().get((b & 0xff) % config.guests().size());
    }

    /**
     * TLA+ (ContextOwnership): CanRaise(c): the vectors c's device can raise.
     * The hypervisor's part (remapping, or the vector it programmed), and
     * under software protection without remapping every vector once the NIC
     * can write into the interrupt address range for c, since the bytes it
     * writes there are the guest's to choose.
     */
    public Set<String> canRaise(int c) {
        Set<String> r = new java.util.TreeSet<>(hyp.canRaise(c));
        if (software() && !design.interruptRemapping() && !config.msiPages().isEmpty()) {
            for (var e : deviceReachPages(c).entrySet()) {
                if (config.msiPages().contains(e.getKey()) && !e.getValue().isEmpty()) {
                    r.addAll(config.guests());
                    break;
                }
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ what the device can touch

    /** TLA+: PostedCells(c), as bytes per page: the buffers the hypervisor holds for c (see {@link Hypervisor#postedSegments}). */
    public Map<Integer, BitSet> postedPages(int c) {
        TreeMap<Integer, BitSet> r = new TreeMap<>();
        addCells(r, hyp.postedSegments(c));
        return r;
    }

    /**
     * TLA+: DeviceReach(c), as bytes per page: every byte the device can touch
     * for c from this state with no further software step.  Through the IOMMU:
     * whatever c's domain translates (page table and IOTLB), since a guest may
     * hand its device any address.  Without one: what the NIC itself does, run
     * on a copy (see {@link #probe}).
     */
    public Map<Integer, BitSet> deviceReachPages(int c) {
        if (translated) {
            TreeMap<Integer, BitSet> r = new TreeMap<>();
            int rid = hyp.rid(c);
            for (int p : iommu.reachablePages(rid)) r.put(p, iommu.reach(rid, p));
            return r;
        }
        return probe(c).reach();
    }

    /**
     * TLA+ (ContextOwnership): IssuersInReach(c): the guests whose descriptors
     * the NIC can still process for c, on either ring: the issuers of the slots
     * the NIC fetches in {@link #probe} (an empty slot has no issuer), and of the
     * descriptor an engine is working on.  Empty through the IOMMU, as in the
     * spec, which does not track issuers there: a translated access is judged by
     * the translation it used, not by who wrote the slot.
     */
    public Set<String> issuersInReach(int c) {
        if (!translated) return probe(c).issuers();
        // Under IOMMU protection: the writers of every descriptor left in c's rings, which the guest
        // driving the ring can make the NIC fetch (TLA+ IssuersInReach with ModelIommuRing).
        TreeSet<String> r = new TreeSet<>();
        for (Dir d : DIRS) {
            for (int slot = 0; slot < config.ringSize(); slot++) r.add(writerOf(c, d, slot));
        }
        r.remove(NO_GUEST);
        return r;
    }

    /** What {@link #probe} saw the device do for one context. */
    record Probe(Map<Integer, BitSet> reach, Set<String> issuers) {}

    /**
     * The device's reach observed rather than derived: for each ring of c and
     * every doorbell value a guest could write, a copy of the NIC is let run
     * (frames always waiting, every access recorded and allowed where memory
     * exists) until it stops by itself.  No tag rule or window is assumed here:
     * a NIC that fetches a slot it should not shows it.  Each fetch that starts
     * a descriptor names the slot's issuer.
     */
    Probe probe(int c) {
        if (probes != null && probes[c] != null) return probes[c];
        Probe p = probeNow(c);
        if (probes != null) probes[c] = p;
        return p;
    }

    // While the checker looks at one state, each context's probe is run once (it copies the NIC
    // per ring and doorbell value, the bulk of a checked step); null the rest of the time.
    private Probe[] probes;

    /** Between {@code true} and {@code false}, the state must not change: probes are kept (the checker's afterStep). */
    void keepProbes(boolean on) { probes = on ? new Probe[config.contexts().size()] : null; }

    private Probe probeNow(int c) {
        TreeMap<Integer, BitSet> reach = new TreeMap<>();
        TreeSet<String> issuers = new TreeSet<>();
        for (Dir d : DIRS) {
            int k = d.ordinal();
            if (!nic.queue(c, d).engine().idle()) issuers.add(engineOwner[c][k]);
            RingProbe r = ringProbe(c, d);
            r.reach().forEach((p, bytes) -> reach.computeIfAbsent(p, x -> new BitSet()).or(bytes));
            for (int slot = r.started().nextSetBit(0); slot >= 0; slot = r.started().nextSetBit(slot + 1)) issuers.add(slotOwner[c][k][slot]);
        }
        return new Probe(reach, issuers);
    }

    private static final Dir[] DIRS = Dir.values();

    /**
     * What the device does on ring d of c for every doorbell value: the bytes it reaches and the slots whose descriptors
     * it starts.  Both depend only on that ring's state (the probe runs a copy of the NIC with frames always waiting,
     * every access allowed where memory exists), so the result is kept while the ring is unchanged.
     *
     * @param ring the ring's state it was computed from
     */
    private record RingProbe(DescriptorQueue ring, Map<Integer, BitSet> reach, BitSet started) {}

    // The last probe of each context's rings, valid while that ring is unchanged (most steps touch one ring or none);
    // entries are immutable, so copies of this system share them.
    private RingProbe[][] ringProbes;

    private RingProbe ringProbe(int c, Dir d) {
        if (ringProbes == null) ringProbes = new RingProbe[config.contexts().size()][2];
        DescriptorQueue now = nic.queue(c, d);
        RingProbe kept = ringProbes[c][d.ordinal()];
        if (kept != null && kept.ring().sameAs(now)) return kept;
        TreeMap<Integer, BitSet> reach = new TreeMap<>();
        BitSet started = new BitSet();
        int ps = config.pageSize();
        int[] none = new int[config.contexts().size()];
        DmaPort record = (ctx, dir, addr, data, prov) -> {
            if (!mem.containsRange(addr, data.length)) return false;
            addCells(reach, List.of(new Segment(addr, data.length)));
            return true;
        };
        for (int v = 0; v < config.seqMod(); v++) {
            Nic n = nic.probeCopy(c, d);
            n.setFramesAlwaysWaiting(none);
            n.ringDoorbell(c, d, v);
            // Each fetch consumes a sequence number, and each descriptor ends after finitely many DMA steps.
            for (int fetches = 0; fetches <= config.seqMod(); ) {
                if (n.nicDma(c, d, ps, record)) continue;
                int slot = n.queue(c, d).nicNext() % config.ringSize();
                if (!n.nicFetch(c, d)) break;
                fetches++;
                if (!n.queue(c, d).engine().idle()) started.set(slot);
            }
        }
        RingProbe r = new RingProbe(now.snapshot(), reach, started);
        ringProbes[c][d.ordinal()] = r;
        return r;
    }

    private void addCells(Map<Integer, BitSet> r, List<Segment> segs) {
        int ps = config.pageSize();
        for (Segment s : segs) {
            if (s.len() <= 0) continue;
            for (long a = s.addr(); a < s.addr() + s.len(); ) {
                int p = mem.pageOf(a);
                long end = Math.min(s.addr() + s.len(), (long) p * ps);
                r.computeIfAbsent(p, k -> new BitSet()).set((int) (a - (long) (p - 1) * ps), (int) (end - (long) (p - 1) * ps));
                a = end;
            }
        }
    }

    /** Under IOMMU protection: the guest that wrote the descriptor ring d's engine of c works on (null: not known). */
    public String engineWriter(int c, Dir d) { return translated ? engineWriter[c][d.ordinal()] : null; }

    /** TLA+ (ContextOwnership): engineOwner[c], for ring d. */
    public String engineOwner(int c, Dir d) { return engineOwner[c][d.ordinal()]; }

    /**
     * Bytes c's domain can still reach only through translations that
     * UnmapContext left in the IOTLB (FlushOnDomainChange off): what the device
     * reaches of the previous owner's mappings after the domain changed.
     */
    public Map<Integer, BitSet> revokedStalePages(int c) {
        TreeMap<Integer, BitSet> r = new TreeMap<>();
        revokedStale.get(c).forEach((p, b) -> r.put(p, (BitSet) b.clone()));
        return r;
    }

    // A translation stops being stale once it is flushed, invalidated, or mapped again.
    private void pruneRevokedStale() {
        for (int c = 0; c < revokedStale.size(); c++) {
            TreeMap<Integer, BitSet> m = revokedStale.get(c);
            if (m.isEmpty()) continue;
            Map<Integer, BitSet> stale = iommu.stale(hyp.rid(c));
            m.entrySet().removeIf(e -> {
                BitSet still = stale.get(e.getKey());
                if (still != null) e.getValue().and(still);
                return still == null || e.getValue().isEmpty();
            });
        }
    }

    /** TLA+: DeviceReach(c) as machine addresses (CdnaProtection's cells). */
    public SortedSet<Long> deviceReach(String c) { return addresses(deviceReachPages(ctx(c))); }

    /** TLA+: PostedCells(c) as machine addresses. */
    public SortedSet<Long> postedCells(String c) { return addresses(postedPages(ctx(c))); }

    private SortedSet<Long> addresses(Map<Integer, BitSet> pages) {
        TreeSet<Long> r = new TreeSet<>();
        for (var e : pages.entrySet()) {
            BitSet b = e.getValue();
            for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) r.add(mem.pageStart(e.getKey()) + i);
        }
        return r;
    }

    // ------------------------------------------------------------------ abstraction to the spec's variables

    /** TLA+ (CdnaProtection): a ring slot or the engine's copy of one. */
    public record Desc(long addr, long len, int seq) {}

    /** TLA+ (CdnaProtection): engine[c] == [desc, moved]. */
    public record EngineView(Desc desc, long moved) {}

    /** The variables of CdnaProtection, for one ring of every context (the RX ring is the one the spec models). */
    public record CdnaState(Map<Integer, String> owner, Map<String, String> ctxOwner, Map<String, List<Desc>> ring,
                            Map<String, Integer> prod, Map<String, Integer> reaped, Map<String, Integer> nicNext,
                            Map<String, Integer> doorbell, Map<String, EngineView> engine, Map<String, Buffer> call,
                            Map<Integer, Boolean> pinBit) {}

    /** TLA+ (IommuProtection): a cell [page, off]. */
    public record Cell(int page, int off) {}

    /** The variables of IommuProtection.  Domains are named as Dom(c): the context, or SharedRid. */
    public record IommuState(Map<Integer, String> owner, Map<String, String> ctxOwner, Map<String, List<IoBuffer>> posted,
                             Map<String, SortedSet<Cell>> persist, Map<String, SortedSet<Cell>> iotlb, int unflushed) {}

    public CdnaState cdnaState() { return cdnaState(Dir.RX); }

    public CdnaState cdnaState(Dir d) {
        Map<String, List<Desc>> ring = new LinkedHashMap<>();
        Map<String, Integer> prod = new LinkedHashMap<>(), reaped = new LinkedHashMap<>(), nicNext = new LinkedHashMap<>(),
                doorbell = new LinkedHashMap<>();
        Map<String, EngineView> engine = new LinkedHashMap<>();
        Map<String, Buffer> call = new LinkedHashMap<>();
        for (var e : ctxIndex.entrySet()) {
            int c = e.getValue();
            DescriptorQueue q = nic.queue(c, d);
            Buffer b = hyp.call(c, d);
            call.put(e.getKey(), b == null ? NO_CALL : b);
            List<Desc> slots = new ArrayList<>();
            for (int i = 0; i < config.ringSize(); i++) slots.add(desc(q.slot(i)));
            ring.put(e.getKey(), slots);
            prod.put(e.getKey(), hyp.prod(c, d));
            reaped.put(e.getKey(), hyp.reaped(c, d));
            nicNext.put(e.getKey(), q.nicNext());
            doorbell.put(e.getKey(), q.doorbell());
            Engine en = q.engine();
            engine.put(e.getKey(), en.idle() ? new EngineView(new Desc(0, 0, config.seqMod()), 0)
                    : new EngineView(desc(en.desc()), en.moved()));
        }
        // The spec keeps pinned bits only for the design that has them (CountPins false); counted pins are not bits.
        Map<Integer, Boolean> pinBit = new TreeMap<>();
        for (int p = 1; p <= config.nPages(); p++) pinBit.put(p, !design.countPins() && hyp.pins(p) > 0);
        return new CdnaState(owners(), ctxOwners(), ring, prod, reaped, nicNext, doorbell, engine, call, pinBit);
    }

    private static Desc desc(Descriptor d) { return new Desc(d.addr(), Math.max(0, d.len()), d.seq()); }

    private Map<Integer, String> owners() {
        Map<Integer, String> r = new TreeMap<>();
        for (int p = 1; p <= config.nPages(); p++) r.put(p, mem.owner(p));
        return r;
    }

    private Map<String, String> ctxOwners() {
        Map<String, String> r = new LinkedHashMap<>();
        for (var e : ctxIndex.entrySet()) r.put(e.getKey(), hyp.ctxOwner(e.getValue()));
        return r;
    }

    /** The name of domain rid as IommuProtection's Dom(c) gives it. */
    public String domainName(int rid) { return rid == 0 ? "SharedRid" : config.contexts().get(rid - 1); }

    public IommuState iommuState() {
        Map<String, List<IoBuffer>> posted = new LinkedHashMap<>();
        for (var e : ctxIndex.entrySet()) posted.put(e.getKey(), hyp.posted(e.getValue()));
        Map<String, SortedSet<Cell>> persist = new LinkedHashMap<>(), iotlb = new LinkedHashMap<>();
        TreeSet<Integer> rids = new TreeSet<>();
        for (int c = 0; c < config.contexts().size(); c++) rids.add(hyp.rid(c));
        for (int rid : rids) {
            TreeSet<Cell> ps = new TreeSet<>(java.util.Comparator.comparingInt(Cell::page).thenComparingInt(Cell::off));
            for (int p : hyp.persist().getOrDefault(rid, new TreeSet<>())) {
                for (int i = 0; i < config.pageSize(); i++) ps.add(new Cell(p, i));
            }
            TreeSet<Cell> st = new TreeSet<>(java.util.Comparator.comparingInt(Cell::page).thenComparingInt(Cell::off));
            for (var e : iommu.stale(rid).entrySet()) {
                BitSet b = e.getValue();
                for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) st.add(new Cell(e.getKey(), i));
            }
            persist.put(domainName(rid), ps);
            iotlb.put(domainName(rid), st);
        }
        return new IommuState(owners(), ctxOwners(), posted, persist, iotlb, hyp.unflushed());
    }

    /** Stands for "nobody" in owedTo, as the spec's NoGuest. */
    public static final String NO_GUEST = "NoGuest";

    /**
     * The variables ContextOwnership adds to the layer specs.  Contexts by name;
     * phases as the spec's strings; slotOwner and engineOwner for the RX ring, the
     * one the spec models; vector and taken as sets of context names; owedTo
     * with {@link #NO_GUEST} for nobody.
     */
    public record OwnershipState(Map<String, String> phase, Map<String, SortedSet<String>> holders,
                                 Map<String, List<String>> slotOwner, Map<String, String> engineOwner,
                                 Map<String, SortedSet<String>> irte, SortedSet<String> vector, boolean physIrq,
                                 SortedSet<String> taken, boolean scanDue, Map<String, String> owedTo) {}

    public OwnershipState ownershipState() {
        Map<String, String> phase = new LinkedHashMap<>(), engine = new LinkedHashMap<>(), owed = new LinkedHashMap<>();
        Map<String, SortedSet<String>> holders = new LinkedHashMap<>(), irte = new LinkedHashMap<>();
        Map<String, List<String>> slots = new LinkedHashMap<>();
        for (var e : ctxIndex.entrySet()) {
            int c = e.getValue();
            String n = e.getKey();
            phase.put(n, hyp.phase(c).specName());
            holders.put(n, new TreeSet<>(hyp.holders(c)));
            slots.put(n, List.of(slotOwner[c][Dir.RX.ordinal()]));
            engine.put(n, engineOwner[c][Dir.RX.ordinal()]);
            irte.put(n, new TreeSet<>(iommu.irte(c)));
            owed.put(n, owedTo[c] == null ? NO_GUEST : owedTo[c]);
        }
        return new OwnershipState(phase, holders, slots, engine, irte, ctxNames(hyp.vector()), hyp.physIrq(),
                ctxNames(hyp.taken()), hyp.scanDue(), owed);
    }

    private SortedSet<String> ctxNames(BitSet b) {
        TreeSet<String> r = new TreeSet<>();
        for (int c = b.nextSetBit(0); c >= 0; c = b.nextSetBit(c + 1)) r.add(ctxName(c));
        return r;
    }

    // ------------------------------------------------------------------ the guest-facing boundary

    /**
     * What guest g can do itself: hypercalls, refused if g names a context it
     * does not own, and writes to a context's registers (doorbell, ring, MSI),
     * refused unless g has them mapped (TLA+: g \in holders[c]).
     */
    public GuestView as(String g) { return new GuestView(g); }

    public final class GuestView {
        private final String g;

        GuestView(String g) { this.g = g; }

        private boolean mine(String c) {
            int i = ctx(c);
            return i >= 0 && hyp.ctxOwner(i).equals(g);
        }

        private boolean held(String c) { return hyp.holds(g, ctx(c)); }

        /** A register write by a guest that is not the context's owner: a second guest is driving it. */
        private boolean drove(String c, boolean done, String what) {
            int i = ctx(c);
            if (done && !hyp.ctxOwner(i).equals(g)) checker.onForeignDrive(HostSystem.this, i, g, what);
            return done;
        }

        /** The guest asks the hypervisor for free page p (TLA+: AllocatePage(g, p)). */
        public boolean allocatePage(int p) { return HostSystem.this.allocatePage(g, p); }
        public boolean freePage(int p) { return HostSystem.this.freePage(g, p); }
        public boolean transferPage(String h, int p) { return HostSystem.this.transferPage(g, h, p); }
        public boolean postDescriptor(String c, Dir d, Buffer b) { return mine(c) && HostSystem.this.postDescriptor(c, d, b); }
        public int postDescriptors(String c, Dir d, List<Buffer> bs) { return mine(c) ? HostSystem.this.postDescriptors(c, d, bs) : 0; }
        public boolean validateBuffer(String c, Dir d, Buffer b) { return mine(c) && HostSystem.this.validateBuffer(c, d, b); }
        public boolean pinAndPost(String c, Dir d) { return mine(c) && HostSystem.this.pinAndPost(c, d); }
        public boolean ringDoorbell(String c, Dir d, long v) {
            return held(c) && drove(c, HostSystem.this.ringDoorbell(c, d, v), "rang the " + d + " doorbell");
        }
        public boolean writeDescriptor(String c, Dir d, int slot, Descriptor desc) {
            return held(c) && drove(c, HostSystem.this.writeDescriptor(g, c, d, slot, desc), "wrote " + d + " ring slot " + slot);
        }
        /** The guest makes c's device send an MSI for vector v. */
        public boolean sendMsi(String c, String v) {
            return held(c) && drove(c, HostSystem.this.sendMsi(c, v), "made it send an MSI for vector " + v);
        }
        public boolean mapBuffer(String c, IoBuffer b) { return mine(c) && HostSystem.this.mapBuffer(c, b); }
        public boolean unmapBuffer(String c, IoBuffer b) { return mine(c) && HostSystem.this.unmapBuffer(c, b); }
        public boolean write(long addr, byte[] data) { return HostSystem.this.guestWrite(g, addr, data); }
        public BitSet acknowledgeInterrupts() { return hyp.acknowledgeInterrupts(g); }
    }
}
