package cdna.sim;

import cdna.design.Design;
import cdna.hypervisor.Buffer;
import cdna.hypervisor.Hypervisor;
import cdna.hypervisor.IoBuffer;
import cdna.iommu.Iommu;
import cdna.memory.HostMemory;
import cdna.nic.Descriptor;
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
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The composed machine: host memory, the NIC, the IOMMU, the hypervisor, and
 * the isolation checker watching every DMA access.  Deterministic (time is
 * {@link #tick()}, there is no randomness) and cheap to {@link #copy()}.
 *
 * <p>The public actions are the TLA+ actions of CdnaProtection and
 * IommuProtection, with the spec's parameter order; a call returns whether the
 * step was enabled, and a disabled step changes nothing.  Spec actions act on
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
    private long step;
    private long time;
    private String action = "Init";

    public HostSystem(Config config, Design design) {
        this.config = config;
        this.design = design;
        this.mem = new HostMemory(config.nPages(), config.pageSize());
        this.nic = new Nic(config.contexts(), config.ringSize(), config.seqMod(),
                design.protection() == Design.Protection.SOFTWARE && design.sequenceNumbers());
        this.iommu = new Iommu(config.pageSize());
        this.hyp = new Hypervisor(design, mem, nic, iommu, config.guests(), config.ctxOwners(), config.maxLen());
        this.ctxIndex = new LinkedHashMap<>();
        for (int c = 0; c < config.contexts().size(); c++) ctxIndex.put(config.contexts().get(c), c);
        if (config.framesAlwaysWaiting()) {
            int[] prov = new int[config.contexts().size()];
            for (int c = 0; c < prov.length; c++) prov[c] = guestTag(config.ctxOwners().get(c));
            nic.setFramesAlwaysWaiting(prov);
        }
        this.checker = new IsolationChecker();
    }

    private HostSystem(HostSystem o) {
        config = o.config;
        design = o.design;
        mem = o.mem.copy();
        nic = o.nic.copy();
        iommu = o.iommu.copy();
        hyp = o.hyp.copy(mem, nic, iommu);
        ctxIndex = o.ctxIndex;
        checker = o.checker.copy();
        step = o.step;
        time = o.time;
        action = o.action;
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

    private boolean software() { return design.protection() == Design.Protection.SOFTWARE; }

    /** -1 for a name that is not a context. */
    public int ctx(String c) {
        Integer i = c == null ? null : ctxIndex.get(c);
        return i == null ? -1 : i;
    }

    public String ctxOwner(int c) { return hyp.ctxOwner(c); }

    int guestTag(String g) { return config.guests().indexOf(g) + 1; }

    String guestOfTag(int tag) { return tag <= 0 || tag > config.guests().size() ? null : config.guests().get(tag - 1); }

    // ------------------------------------------------------------------ stepping

    private boolean step(String label, boolean enabled) {
        if (enabled) {
            step++;
            action = label;
            checker.afterStep(this);
        }
        return enabled;
    }

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
        return step("PostDescriptor(" + c + ", " + d + ", " + b + ")", d != null && hyp.postDescriptor(ctx(c), d, b));
    }

    // TLA+: PostDescriptor(c, b) for each b in order, batched in one hypercall
    public int postDescriptors(String c, Dir d, List<Buffer> bs) {
        int n = d == null ? 0 : hyp.postDescriptors(ctx(c), d, bs);
        step("PostDescriptors(" + c + ", " + d + ", " + bs + ")", n > 0);
        return n;
    }

    // TLA+: RingDoorbell(c, v)
    public boolean ringDoorbell(String c, long v) { return ringDoorbell(c, Dir.RX, v); }

    // TLA+: RingDoorbell(c, v), on either ring
    public boolean ringDoorbell(String c, Dir d, long v) {
        int i = ctx(c);
        if (i < 0 || d == null) return false;
        nic.ringDoorbell(i, d, v);
        return step("RingDoorbell(" + c + ", " + d + ", " + v + ")", true);
    }

    // TLA+: NicFetch(c)
    public boolean nicFetch(String c) { return nicFetch(c, Dir.RX); }

    // TLA+: NicFetch(c), on either ring
    public boolean nicFetch(String c, Dir d) {
        int i = ctx(c);
        return step("NicFetch(" + c + ", " + d + ")", i >= 0 && d != null && nic.nicFetch(i, d));
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
        boolean ok = !software() && i >= 0 && d != null && desc != null && slot >= 0 && slot < config.ringSize();
        if (ok) nic.writeSlot(i, d, slot, desc);
        return step("WriteDescriptor(" + c + ", " + d + ", " + slot + ", " + desc + ")", ok);
    }

    /** A frame arrives from the wire; demultiplexed by destination MAC (unknown MACs are dropped). */
    public boolean receiveFrame(String dstMac, byte[] payload) {
        if (dstMac == null || payload == null) return false;
        int c = nic.demux(dstMac);
        Frame f = new Frame(nic.nextFrameId(), dstMac, payload.clone(), c < 0 ? 0 : guestTag(hyp.ctxOwner(c)));
        nic.receive(f);
        return step("ReceiveFrame(" + dstMac + ", " + payload.length + " bytes)", true);
    }

    /** The NIC's physical interrupt: the hypervisor forwards each flagged context to its owner. */
    public int deliverInterrupts() {
        int n = hyp.deliverInterrupts();
        step("DeliverInterrupts", n > 0);
        return n;
    }

    /**
     * Time passes by one tick.  Under deferred invalidation the flush timer
     * fires every flushPeriod ticks (TLA+: FlushIotlb, when anything is stale).
     */
    public boolean tick() {
        time++;
        boolean flushed = !software() && design.invalidation() == Design.Invalidation.DEFERRED
                && time % config.flushPeriod() == 0 && hyp.flushIotlb();
        return step("Tick(" + time + ")", true) && flushed;
    }

    /** A guest's CPU stores into its own memory; refused (a page fault) on a page it does not own. */
    public boolean guestWrite(String g, long addr, byte[] data) {
        if (g == null || data == null || !mem.containsRange(addr, data.length)) return false;
        for (long a = addr; a < addr + data.length; a += config.pageSize()) {
            if (!mem.owner(mem.pageOf(a)).equals(g)) return false;
        }
        if (!mem.owner(mem.pageOf(addr + data.length - 1)).equals(g)) return false;
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
        for (int i = 0; i < data.length; i++) {
            if (d == Dir.RX) mem.write(addr + i, data[i], provenance);
            else data[i] = mem.read(addr + i);
        }
        return true;
    }

    // ------------------------------------------------------------------ what the device can touch

    /** TLA+: PostedCells(c), as bytes per page. */
    public Map<Integer, BitSet> postedPages(int c) {
        TreeMap<Integer, BitSet> r = new TreeMap<>();
        if (software()) {
            for (Dir d : Dir.values()) {
                DescriptorQueue q = nic.queue(c, d);
                int reaped = hyp.reaped(c, d);
                for (int i = 0; i < hyp.inFlight(c, d); i++) {
                    addCells(r, q.slot((reaped + i) % config.ringSize()).segments());
                }
            }
        } else {
            for (IoBuffer b : hyp.posted(c)) addCells(r, b.segments(config.pageSize()));
        }
        return r;
    }

    /**
     * TLA+: DeviceReach(c), as bytes per page: every byte the device can touch
     * for c from this state with no further software step.  CDNA: the rest of
     * each engine's descriptor plus every descriptor the NIC could still fetch
     * (all slots, without sequence numbers, since the guest rings any doorbell
     * value).  IOMMU: the domain's page table plus the IOTLB.
     */
    public Map<Integer, BitSet> deviceReachPages(int c) {
        TreeMap<Integer, BitSet> r = new TreeMap<>();
        if (software()) {
            for (Dir d : Dir.values()) {
                DescriptorQueue q = nic.queue(c, d);
                Engine e = q.engine();
                if (!e.idle()) {
                    long from = e.desc().addr() + e.moved();
                    addCells(r, List.of(new Segment(from, e.desc().len() - e.moved())));
                }
                if (design.sequenceNumbers()) {
                    int first = e.idle() ? 0 : 1;
                    int ahead = Math.floorMod(hyp.prod(c, d) - q.nicNext(), config.seqMod());
                    for (int i = first; i < ahead; i++) {
                        addCells(r, q.slot((q.nicNext() + i) % config.ringSize()).segments());
                    }
                } else {
                    for (int i = 0; i < config.ringSize(); i++) addCells(r, q.slot(i).segments());
                }
            }
        } else {
            int rid = hyp.rid(c);
            for (int p : iommu.reachablePages(rid)) r.put(p, iommu.reach(rid, p));
        }
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
                            Map<String, Integer> doorbell, Map<String, EngineView> engine) {}

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
        for (var e : ctxIndex.entrySet()) {
            int c = e.getValue();
            DescriptorQueue q = nic.queue(c, d);
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
        return new CdnaState(owners(), ctxOwners(), ring, prod, reaped, nicNext, doorbell, engine);
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

    // ------------------------------------------------------------------ the guest-facing boundary

    /** What guest g can do itself: hypercalls and MMIO writes, each refused if g names a context it does not own. */
    public GuestView as(String g) { return new GuestView(g); }

    public final class GuestView {
        private final String g;

        GuestView(String g) { this.g = g; }

        private boolean mine(String c) {
            int i = ctx(c);
            return i >= 0 && hyp.ctxOwner(i).equals(g);
        }

        /** The guest asks the hypervisor for free page p (TLA+: AllocatePage(g, p)). */
        public boolean allocatePage(int p) { return HostSystem.this.allocatePage(g, p); }
        public boolean freePage(int p) { return HostSystem.this.freePage(g, p); }
        public boolean transferPage(String h, int p) { return HostSystem.this.transferPage(g, h, p); }
        public boolean postDescriptor(String c, Dir d, Buffer b) { return mine(c) && HostSystem.this.postDescriptor(c, d, b); }
        public int postDescriptors(String c, Dir d, List<Buffer> bs) { return mine(c) ? HostSystem.this.postDescriptors(c, d, bs) : 0; }
        public boolean ringDoorbell(String c, Dir d, long v) { return mine(c) && HostSystem.this.ringDoorbell(c, d, v); }
        public boolean writeDescriptor(String c, Dir d, int slot, Descriptor desc) { return mine(c) && HostSystem.this.writeDescriptor(c, d, slot, desc); }
        public boolean mapBuffer(String c, IoBuffer b) { return mine(c) && HostSystem.this.mapBuffer(c, b); }
        public boolean unmapBuffer(String c, IoBuffer b) { return mine(c) && HostSystem.this.unmapBuffer(c, b); }
        public boolean write(long addr, byte[] data) { return HostSystem.this.guestWrite(g, addr, data); }
        public BitSet acknowledgeInterrupts() { return hyp.acknowledgeInterrupts(g); }
    }
}
