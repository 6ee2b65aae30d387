package cdna.hypervisor;

import cdna.design.Design;
import cdna.design.Design.IommuStrategy;
import cdna.design.Design.RevokeQuiesce;
import cdna.iommu.Iommu;
import cdna.memory.HostMemory;
import cdna.nic.Descriptor;
import cdna.nic.Dir;
import cdna.nic.Nic;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hypervisor: guest memory management, CDNA descriptor validation with
 * pinning, sequence numbers and lazy unpinning, the four IOMMU strategies with
 * strict or deferred invalidation, and interrupt delivery to context owners.
 * It also takes contexts from guests and gives them to others, walking each
 * through the revocation pipeline of ContextOwnership (stop, quiesce, unmap,
 * unpin, assign), and runs the interrupt path (the vector in its memory, the
 * physical interrupt, virtual interrupts to owners).
 *
 * <p>Entry points are the spec's actions.  A refused request returns false and
 * changes nothing, as a disabled TLA+ action does; no input makes it throw.
 * These entry points act for the guest owning the context; checking that the
 * caller is that guest is the job of the guest-facing boundary
 * ({@code HostSystem.as(g)}).
 */
public final class Hypervisor {
    private final Design design;
    private final HostMemory mem;
    private final Nic nic;
    private final Iommu iommu;
    private final List<String> guests;
    private final String[] ctxOwner;
    private final long maxLen;
    private final int seqMod;
    private final int ringSize;
    private final int pageSize;

    // CDNA: per context and ring, the next sequence number to hand out and the oldest not yet reaped.
    private final int[][] prod;
    private final int[][] reaped;
    // CDNA: references held on each page by outstanding descriptors.
    private final int[] pins;
    // CDNA: per context and ring, the buffer of an enqueue hypercall checked and not yet
    // written (TLA+ call; null: none).  Only the two-step hypercall leaves one behind.
    private final Buffer[][] call;

    // IOMMU: buffers each context's guest has mapped and not yet unmapped, oldest first.
    private final List<List<IoBuffer>> posted;
    // IOMMU: references on mapped bytes, by requester ID and page.  Sharing the counts
    // across holders (buffers, persistent pages, direct map) lets a byte stay mapped
    // while anyone still needs it and go exactly when the last holder lets go.
    private final TreeMap<Integer, TreeMap<Integer, PageRefs>> refs;
    // IOMMU, persistent strategy: pages kept mapped in each domain after their buffers completed.
    private final TreeMap<Integer, TreeSet<Integer>> persist;
    // IOMMU, deferred invalidation: unmaps since the last flush.
    private int unflushed;

    // Interrupts delivered to each guest, as a vector of its contexts that need service.
    private final TreeMap<String, BitSet> virqs;

    // Ownership: where each context is in the revocation pipeline, and the guests
    // that have its doorbell and rings mapped (TLA+: phase, holders).
    private final Phase[] phase;
    private final List<TreeSet<String>> holders;

    // The interrupt path (TLA+: vector, physIrq, taken, scanDue): the bit vector the
    // NIC writes into hypervisor memory, its one physical interrupt, the bits the
    // handler has taken and not yet turned into virtual interrupts, and (in the
    // clear-then-scan order) a scan still to do.
    private final BitSet vector;
    private boolean physIrq;
    private final BitSet taken;
    private boolean scanDue;

    private long hypercalls;
    private long pagesValidated;
    private long bounceBytes;
    // pages pinned or unpinned: each one an update of the page's reference count (or pinned bit)
    private long pinUpdates;
    private long interruptsDelivered;
    private long msisDelivered;
    private VirqListener listener;
    // Faults planted in this code by tests (never in a real run).
    private java.util.Set<cdna.design.Mutant> mutants = java.util.EnumSet.noneOf(cdna.design.Mutant.class);

    public Hypervisor(Design design, HostMemory mem, Nic nic, Iommu iommu, List<String> guests,
                      List<String> initialCtxOwners, long maxLen) {
        this.design = design;
        this.mem = mem;
        this.nic = nic;
        this.iommu = iommu;
        this.guests = List.copyOf(guests);
        this.ctxOwner = initialCtxOwners.toArray(new String[0]);
        this.maxLen = maxLen;
        this.seqMod = nic.seqMod();
        this.ringSize = nic.ringSize();
        this.pageSize = mem.pageSize();
        int n = nic.contexts();
        prod = new int[n][2];
        reaped = new int[n][2];
        pins = new int[mem.nPages() + 1];
        call = new Buffer[n][2];
        posted = new ArrayList<>();
        for (int c = 0; c < n; c++) posted.add(new ArrayList<>());
        refs = new TreeMap<>();
        persist = new TreeMap<>();
        virqs = new TreeMap<>();
        for (String g : guests) virqs.put(g, new BitSet());
        phase = new Phase[n];
        holders = new ArrayList<>();
        GuestMacs.checkDistinct(this.guests);
        for (int c = 0; c < n; c++) {
            phase[c] = Phase.ASSIGNED;
            holders.add(new TreeSet<>(Set.of(ctxOwner[c])));
            iommu.setIrte(c, Set.of(ctxOwner[c]));
            // Each context starts assigned, so its filter starts with its owner's address.
            programMac(c, ctxOwner[c]);
        }
        vector = new BitSet();
        taken = new BitSet();
    }

    private Hypervisor(Hypervisor o, HostMemory mem, Nic nic, Iommu iommu) {
        design = o.design;
        this.mem = mem;
        this.nic = nic;
        this.iommu = iommu;
        guests = o.guests;
        ctxOwner = o.ctxOwner.clone();
        maxLen = o.maxLen;
        seqMod = o.seqMod;
        ringSize = o.ringSize;
        pageSize = o.pageSize;
        prod = new int[o.prod.length][];
        reaped = new int[o.reaped.length][];
        for (int c = 0; c < prod.length; c++) {
            prod[c] = o.prod[c].clone();
            reaped[c] = o.reaped[c].clone();
        }
        pins = o.pins.clone();
        call = new Buffer[o.call.length][];
        for (int c = 0; c < call.length; c++) call[c] = o.call[c].clone();
        posted = new ArrayList<>();
        for (List<IoBuffer> l : o.posted) posted.add(new ArrayList<>(l));
        refs = new TreeMap<>();
        for (var d : o.refs.entrySet()) {
            TreeMap<Integer, PageRefs> t = new TreeMap<>();
            for (var e : d.getValue().entrySet()) t.put(e.getKey(), e.getValue().copy());
            refs.put(d.getKey(), t);
        }
        persist = new TreeMap<>();
        for (var e : o.persist.entrySet()) persist.put(e.getKey(), new TreeSet<>(e.getValue()));
        unflushed = o.unflushed;
        virqs = new TreeMap<>();
        for (var e : o.virqs.entrySet()) virqs.put(e.getKey(), (BitSet) e.getValue().clone());
        hypercalls = o.hypercalls;
        pagesValidated = o.pagesValidated;
        bounceBytes = o.bounceBytes;
        pinUpdates = o.pinUpdates;
        interruptsDelivered = o.interruptsDelivered;
        msisDelivered = o.msisDelivered;
        phase = o.phase.clone();
        holders = new ArrayList<>();
        for (TreeSet<String> h : o.holders) holders.add(new TreeSet<>(h));
        vector = (BitSet) o.vector.clone();
        physIrq = o.physIrq;
        taken = (BitSet) o.taken.clone();
        scanDue = o.scanDue;
        mutants = o.mutants;
    }

    /** Plants the given faults in this hypervisor's code (tests only; see {@link cdna.design.Mutant}). */
    public void setMutants(java.util.Set<cdna.design.Mutant> m) {
        mutants = m.isEmpty() ? java.util.EnumSet.noneOf(cdna.design.Mutant.class) : java.util.EnumSet.copyOf(m);
    }

    private boolean mutant(cdna.design.Mutant m) { return mutants.contains(m); }

    /** A deep copy wired to copies of the hardware it manages. */
    public Hypervisor copy(HostMemory mem, Nic nic, Iommu iommu) { return new Hypervisor(this, mem, nic, iommu); }

    private boolean software() { return design.protection() == Design.Protection.SOFTWARE; }

    private boolean isGuest(String g) { return g != null && guests.contains(g); }

    private boolean isCtx(int c) { return c >= 0 && c < ctxOwner.length; }

    public String ctxOwner(int c) { return ctxOwner[c]; }

    // ---------------------------------------------------------------- guest memory management

    /** TLA+: AllocatePage(g, p).  The page comes from the pool scrubbed; under direct mapping it is mapped for g at once. */
    public boolean allocatePage(String g, int p) {
        if (!isGuest(g) || !mem.isPage(p) || !mem.owner(p).equals(HostMemory.HYP) || mem.isPrivate(p)) return false;
        // No scrub here: the pool holds only pages scrubbed on their way in (handOver).
        mem.setOwner(p, g);
        if (!software() && design.iommuStrategy() == IommuStrategy.DIRECT) {
            for (int rid : domainsOf(g)) addRefs(rid, p, fullPage(), false);
        }
        return true;
    }

    /** TLA+: FreePage(g, p).  Refused while pinned (CDNA); under an IOMMU its mappings go first. */
    public boolean freePage(String g, int p) {
        return reclaim(g, p, HostMemory.HYP);
    }

    /** TLA+: TransferPage(g, h, p). */
    public boolean transferPage(String g, String h, int p) {
        if (!isGuest(h) || h.equals(g)) return false;
        return reclaim(g, p, h);
    }

    /** TLA+: Reclaim(g, p, newOwner) (IOMMU) and the shared part of FreePage / TransferPage (CDNA). */
    private boolean reclaim(String g, int p, String newOwner) {
        if (!isGuest(g) || !mem.isPage(p) || !mem.owner(p).equals(g)) return false;
        if (software()) {
            if (design.pinPages() && pins[p] > 0) return false;
            handOver(p, newOwner);
            return true;
        }
        Removal removed = new Removal();
        // The new owner's direct mappings go in before the old owner's come out, so a
        // domain both share (one requester ID) never loses a translation it keeps.
        if (design.iommuStrategy() == IommuStrategy.DIRECT && !newOwner.equals(HostMemory.HYP)) {
            for (int rid : domainsOf(newOwner)) addRefs(rid, p, fullPage(), false);
        }
        for (int c = 0; c < ctxOwner.length; c++) {
            if (!ctxOwner[c].equals(g)) continue;
            for (var it = posted.get(c).iterator(); it.hasNext(); ) {
                IoBuffer b = it.next();
                if (b.pages().contains(p)) {
                    it.remove();
                    dropBuffer(c, b, removed);
                }
            }
        }
        for (var e : persist.entrySet()) {
            if (e.getValue().remove(p)) dropRefs(e.getKey(), p, fullPage(), removed);
        }
        if (design.iommuStrategy() == IommuStrategy.DIRECT) {
            for (int rid : domainsOf(g)) dropRefs(rid, p, fullPage(), removed);
        }
        handOver(p, newOwner);
        invalidate(removed, true);
        return true;
    }

    private void handOver(int p, String newOwner) {
        mem.setOwner(p, newOwner);
        if (newOwner.equals(HostMemory.HYP)) mem.scrub(p);
        else mem.retag(p, guests.indexOf(newOwner) + 1);
    }

    // ---------------------------------------------------------------- CDNA

    /** TLA+: InFlight(c). */
    public int inFlight(int c, Dir d) {
        return Math.floorMod(prod[c][d.ordinal()] - reaped[c][d.ordinal()], seqMod);
    }

    public int prod(int c, Dir d) { return prod[c][d.ordinal()]; }
    public int reaped(int c, Dir d) { return reaped[c][d.ordinal()]; }
    public int pins(int p) { return pins[p]; }

    /** TLA+: PostDescriptor(c, b): one hypercall for one buffer. */
    public boolean postDescriptor(int c, Dir d, Buffer b) {
        if (!software() || !isCtx(c) || b == null || phase[c] != Phase.ASSIGNED) return false;
        hypercalls++;
        return enqueue(c, d, b);
    }

    /**
     * Several PostDescriptor steps in one hypercall, as a CDNA driver batches
     * them; each buffer is validated on its own.  Returns how many were accepted
     * (they are taken in order, up to the first refused one).
     */
    public int postDescriptors(int c, Dir d, List<Buffer> bs) {
        if (!software() || !isCtx(c) || bs == null || phase[c] != Phase.ASSIGNED) return 0;
        hypercalls++;
        int n = 0;
        for (Buffer b : bs) {
            if (b == null || !enqueue(c, d, b)) break;
            n++;
        }
        return n;
    }

    /** The atomic hypercall: check, pin and write in one step (refused while a two-step one is in progress). */
    private boolean enqueue(int c, Dir d, Buffer b) {
        if (call[c][d.ordinal()] != null || !check(c, d, b)) return false;
        pin(b);
        write(c, d, b);
        return true;
    }

    /**
     * TLA+: ValidateBuffer(c, b): the first step of the two-step hypercall checks
     * the owner of b's pages; with PinAtValidation each page is pinned as it is
     * checked, so no guest step can take it away before the descriptor is written.
     */
    public boolean validateBuffer(int c, Dir d, Buffer b) {
        if (!software() || !isCtx(c) || d == null || b == null || phase[c] != Phase.ASSIGNED) return false;
        if (call[c][d.ordinal()] != null || !check(c, d, b)) return false;
        hypercalls++;
        if (design.pinAtValidation()) pin(b);
        call[c][d.ordinal()] = b;
        return true;
    }

    /**
     * TLA+: PinAndPost(c): the second step pins the checked buffer (unless it
     * already is) and writes its descriptor.  Nothing is checked again: that is
     * the window PinAtValidation closes.
     */
    public boolean pinAndPost(int c, Dir d) {
        if (!software() || !isCtx(c) || d == null || call[c][d.ordinal()] == null) return false;
        Buffer b = call[c][d.ordinal()];
        call[c][d.ordinal()] = null;
        if (!design.pinAtValidation()) pin(b);
        write(c, d, b);
        return true;
    }

    /** TLA+: call[c]: the buffer of c's hypercall checked and not yet written, or null. */
    public Buffer call(int c, Dir d) { return call[c][d.ordinal()]; }

    /** TLA+: Validated(g, b), with the ring's room and the buffer's bounds. */
    private boolean check(int c, Dir d, Buffer b) {
        if (inFlight(c, d) >= ringSize) return false;
        if (b.len() > maxLen || !mem.containsRange(b.addr(), b.len())) return false;
        String g = ctxOwner[c];
        int first = mem.pageOf(b.addr());
        int last = mem.pageOf(b.addr() + b.len() - 1);
        int checkUpTo = design.validateAllPages() ? last : first;
        if (mutant(cdna.design.Mutant.VALIDATE_SKIPS_LAST_PAGE) && checkUpTo > first) checkUpTo--;
        for (int p = first; p <= checkUpTo; p++) {
            pagesValidated++;
            if (!mem.owner(p).equals(g)) return false;
        }
        return true;
    }

    /** Pins b's pages: one more reference each, or (CountPins false) their pinned bits set. */
    private void pin(Buffer b) {
        if (!design.pinPages()) return;
        for (int p = mem.pageOf(b.addr()); p <= mem.pageOf(b.addr() + b.len() - 1); p++) {
            pins[p] = design.countPins() ? pins[p] + 1 : 1;
            pinUpdates++;
        }
    }

    /** Drops the pins of [addr, addr + len): one reference each, or (CountPins false) the whole pinned bit. */
    private void release(long addr, long len) {
        if (!design.pinPages()) return;
        for (int p = mem.pageOf(addr); p <= mem.pageOf(addr + len - 1); p++) {
            pins[p] = design.countPins() ? pins[p] - 1 : 0;
            pinUpdates++;
        }
    }

    /** TLA+: WriteDescriptor(c, b): b goes into c's next slot, tagged. */
    private void write(int c, Dir d, Buffer b) {
        int q = d.ordinal();
        int seq = design.sequenceNumbers() ? prod[c][q] : 0;
        nic.writeSlot(c, d, prod[c][q] % ringSize, Descriptor.of(b.addr(), b.len(), seq));
        prod[c][q] = (prod[c][q] + 1) % seqMod;
    }

    /** TLA+: ReapCompletions(c): notice the oldest completion and drop its pins.  Lazy: called whenever convenient. */
    public boolean reapCompletions(int c, Dir d) {
        if (!software() || !isCtx(c)) return false;
        int q = d.ordinal();
        if (inFlight(c, d) == 0 || nic.queue(c, d).nicNext() == reaped[c][q]) return false;
        reapOne(c, d);
        return true;
    }

    /** Drops the pins of c's oldest outstanding descriptor on ring d and counts it reaped. */
    private void reapOne(int c, Dir d) {
        int q = d.ordinal();
        unpin(nic.queue(c, d).slot(reaped[c][q] % ringSize));
        reaped[c][q] = (reaped[c][q] + 1) % seqMod;
    }

    /** An empty slot (one a reset cleared) holds no pins. */
    private void unpin(Descriptor done) {
        if (done.isEmpty()) return;
        release(done.addr(), done.len());
    }

    // ---------------------------------------------------------------- IOMMU

    /** Whether a context presenting requester ID rid is still in the hardware domain (unmapped or free, without quarantine). */
    private boolean hardwareDomainHolds(int rid) {
        for (int x = 0; x < ctxOwner.length; x++) {
            if (rid(x) == rid && (phase[x] == Phase.UNMAPPED || phase[x] == Phase.FREE)) return true;
        }
        return false;
    }

    /** TLA+: Dom(c): the requester ID context c presents (0 is the shared one). */
    public int rid(int c) { return design.requesterIdPerContext() ? c + 1 : 0; }

    private TreeSet<Integer> domainsOf(String g) {
        TreeSet<Integer> r = new TreeSet<>();
        for (int c = 0; c < ctxOwner.length; c++) if (ctxOwner[c].equals(g)) r.add(rid(c));
        return r;
    }

    private BitSet fullPage() {
        BitSet b = new BitSet();
        b.set(0, pageSize);
        return b;
    }

    /** TLA+: MapOf(b) restricted to page p. */
    private BitSet mapOf(IoBuffer b, int p) {
        return design.iommuStrategy() == IommuStrategy.SINGLE_USE && design.subPageBounce()
                ? b.cellsIn(p, pageSize) : fullPage();
    }

    private boolean singleUse() { return design.iommuStrategy() == IommuStrategy.SINGLE_USE; }

    /**
     * The references on one page of one domain.  Whole-page holders (every
     * strategy but bounced single-use) are one counter, so a full-page mapping
     * costs a few word operations rather than one per byte.
     */
    private static final class PageRefs {
        int full;
        int[] partial;
        final BitSet partialMapped = new BitSet();

        PageRefs copy() {
            PageRefs r = new PageRefs();
            r.full = full;
            r.partial = partial == null ? null : partial.clone();
            r.partialMapped.or(partialMapped);
            return r;
        }

        BitSet mapped(int pageSize) {
            BitSet b = (BitSet) partialMapped.clone();
            if (full > 0) b.set(0, pageSize);
            return b;
        }
    }

    /** Takes a reference on bytes of a page in domain rid; maps what was unmapped.  Returns whether the IOMMU changed. */
    private boolean addRefs(int rid, int page, BitSet bytes, boolean alwaysMap) {
        PageRefs r = refs.computeIfAbsent(rid, k -> new TreeMap<>()).computeIfAbsent(page, k -> new PageRefs());
        BitSet fresh = r.mapped(pageSize);
        if (bytes.cardinality() == pageSize) {
            r.full++;
        } else {
            if (r.partial == null) r.partial = new int[pageSize];
            for (int i = bytes.nextSetBit(0); i >= 0; i = bytes.nextSetBit(i + 1)) {
                if (r.partial[i]++ == 0) r.partialMapped.set(i);
            }
        }
        BitSet now = r.mapped(pageSize);
        now.andNot(fresh);
        // Single-use creates a mapping per buffer whether or not the bytes were already mapped.
        if (!now.isEmpty() || alwaysMap) {
            iommu.map(rid, page, bytes);
            return true;
        }
        return false;
    }

    /** Drops a reference on bytes; unmaps those nobody holds any more. */
    private void dropRefs(int rid, int page, BitSet bytes, Removal out) {
        PageRefs r = refs.get(rid).get(page);
        BitSet gone = r.mapped(pageSize);
        if (bytes.cardinality() == pageSize) {
            r.full--;
        } else {
            for (int i = bytes.nextSetBit(0); i >= 0; i = bytes.nextSetBit(i + 1)) {
                if (--r.partial[i] == 0) r.partialMapped.clear(i);
            }
        }
        gone.andNot(r.mapped(pageSize));
        if (!gone.isEmpty()) out.removed.add(rid);
        if (!gone.isEmpty() || singleUse()) {
            iommu.unmap(rid, page, gone);
            out.invalidate.computeIfAbsent(rid, k -> new TreeSet<>()).add(page);
        }
    }

    private void dropBuffer(int c, IoBuffer b, Removal out) {
        if (design.iommuStrategy() == IommuStrategy.DIRECT) return;
        for (int p : b.pages()) dropRefs(rid(c), p, mapOf(b, p), out);
    }

    /**
     * What one hypervisor step took out of the page tables: the domains that
     * lost bytes (those with removed[d] # {} in the spec), and the pages whose IOTLB entries
     * a strict unmap invalidates (for single-use, every page of every unmapped
     * buffer, since each buffer had a mapping of its own).
     */
    private static final class Removal {
        final TreeSet<Integer> removed = new TreeSet<>();
        final TreeMap<Integer, TreeSet<Integer>> invalidate = new TreeMap<>();
    }

    public List<IoBuffer> posted(int c) { return List.copyOf(posted.get(c)); }

    /**
     * TLA+: PostedCells(c), as the hypervisor holds them: the segments of every
     * descriptor of c validated and not yet reaped (CDNA, both rings), or of
     * every buffer c has mapped (IOMMU).
     */
    public List<cdna.nic.Segment> postedSegments(int c) {
        List<cdna.nic.Segment> r = new ArrayList<>();
        if (!isCtx(c)) return r;
        if (software()) {
            for (Dir d : Dir.values()) {
                for (int i = 0; i < inFlight(c, d); i++) {
                    r.addAll(nic.queue(c, d).slot((reaped[c][d.ordinal()] + i) % ringSize).segments());
                }
            }
        } else {
            for (IoBuffer b : posted.get(c)) r.addAll(b.segments(pageSize));
        }
        return r;
    }

    public Map<Integer, TreeSet<Integer>> persist() {
        TreeMap<Integer, TreeSet<Integer>> r = new TreeMap<>();
        for (var e : persist.entrySet()) if (!e.getValue().isEmpty()) r.put(e.getKey(), new TreeSet<>(e.getValue()));
        return r;
    }

    public int unflushed() { return unflushed; }

    /** TLA+: MapBuffer(c, b): the hypervisor maps only buffers whose every byte the context's guest owns. */
    public boolean mapBuffer(int c, IoBuffer b) {
        if (software() || !isCtx(c) || b == null || phase[c] != Phase.ASSIGNED) return false;
        List<IoBuffer> mine = posted.get(c);
        if (mine.size() >= ringSize || mine.contains(b) || !b.wellFormed(pageSize, maxLen)) return false;
        // Byte by byte: a sliced page's upper half is another principal's, whoever owns the page.
        for (int p : b.pages()) {
            if (!mem.isPage(p)) return false;
            BitSet cells = b.cellsIn(p, pageSize);
            for (int i = cells.nextSetBit(0); i >= 0; i = cells.nextSetBit(i + 1)) {
                if (!mem.ownerAt(mem.pageStart(p) + i).equals(ctxOwner[c])) return false;
            }
        }
        mine.add(b);
        boolean changed = false;
        if (design.iommuStrategy() != IommuStrategy.DIRECT) {
            for (int p : b.pages()) changed |= addRefs(rid(c), p, mapOf(b, p), singleUse());
        }
        // A guest's DMA API knows what is already mapped and calls the hypervisor only to change it.
        if (changed) {
            hypercalls++;
            pagesValidated += b.pages().size();
        }
        if (singleUse() && design.subPageBounce()) bounceBytes += b.len();
        return true;
    }

    /** TLA+: UnmapBuffer(c, b): the persistent strategy keeps the pages mapped; the rest may invalidate. */
    public boolean unmapBuffer(int c, IoBuffer b) {
        if (software() || !isCtx(c) || b == null || !posted.get(c).remove(b)) return false;
        if (design.iommuStrategy() == IommuStrategy.PERSISTENT) {
            TreeSet<Integer> kept = persist.computeIfAbsent(rid(c), k -> new TreeSet<>());
            for (int p : b.pages()) if (kept.add(p)) addRefs(rid(c), p, fullPage(), false);
        }
        long before = iommu.unmapOps();
        Removal removed = new Removal();
        dropBuffer(c, b, removed);
        if (iommu.unmapOps() != before) hypercalls++;
        invalidate(removed, false);
        return true;
    }

    /** TLA+: Invalidate(ownerChanged): what becomes of translations that just left a page table. */
    private void invalidate(Removal r, boolean ownerChanged) {
        if (design.invalidation() == Design.Invalidation.STRICT) {
            for (var e : r.invalidate.entrySet()) {
                for (int p : e.getValue()) iommu.invalidate(e.getKey(), p);
            }
            // Only a domain change without a flush leaves translations behind under strict
            // invalidation; the spec's strict Invalidate empties the whole IOTLB, so they go too.
            if (!design.flushOnDomainChange() && iommu.anyStale()) iommu.flushAll();
            return;
        }
        int unmaps = r.removed.size();
        if (unflushed + unmaps >= design.flushBatch() || (ownerChanged && design.flushBeforeReuse())) {
            iommu.flushAll();
            unflushed = 0;
        } else {
            unflushed += unmaps;
        }
    }

    /** TLA+: FlushIotlb: the periodic timer of deferred invalidation.  Enabled only while something is stale. */
    public boolean flushIotlb() {
        if (!iommu.anyStale()) return false;
        iommu.flushAll();
        unflushed = 0;
        return true;
    }

    // ---------------------------------------------------------------- ownership: the revocation pipeline

    /** TLA+: phase[c]. */
    public Phase phase(int c) { return phase[c]; }

    /** TLA+: holders[c]: the guests that have c's doorbell and rings mapped. */
    public Set<String> holders(int c) { return java.util.Collections.unmodifiableSortedSet(holders.get(c)); }

    /** Whether guest g can drive context c (write its doorbell, its ring where guests may, its MSI). */
    public boolean holds(String g, int c) { return isCtx(c) && holders.get(c).contains(g); }

    // Reassignment is defined for the single-use strategy only (ContextOwnership's ASSUME): the
    // other strategies derive a domain's mappings from who owns the context, which the spec leaves open.
    private boolean revocable() { return software() || singleUse(); }

    /**
     * TLA+: StopContext(c).  No new work for c; the outgoing guest loses its
     * mappings of c (UnmapGuestAccessOnStop); its receive filter is turned off;
     * with DeliverToEventOwner, the outgoing owner gets a last virtual interrupt
     * for c now, while it still is the owner, and c's pending bits are cleared.
     */
    public boolean stopContext(int c) {
        if (!isCtx(c) || phase[c] != Phase.ASSIGNED || !revocable()) return false;
        phase[c] = Phase.STOPPED;
        // A two-step hypercall still in progress is abandoned: its buffer is never written,
        // and pins taken at its check go (ContextOwnership models the hypercall as one step).
        for (Dir d : Dir.values()) {
            Buffer b = call[c][d.ordinal()];
            call[c][d.ordinal()] = null;
            if (b != null && design.pinAtValidation()) release(b.addr(), b.len());
        }
        if (design.unmapGuestAccessOnStop() && !mutant(cdna.design.Mutant.STOP_KEEPS_GUEST_MAPPINGS)) holders.get(c).clear();
        if (software() && design.revokeQuiesce() == RevokeQuiesce.DRAIN_ALL) {
            // To drain, the NIC must be let through every descriptor the hypervisor validated; the
            // guest can no longer ring, so the hypervisor does, or the context never drains.
            for (Dir d : Dir.values()) nic.ringDoorbell(c, d, prod[c][d.ordinal()]);
        }
        nic.dropInbound(c);
        if (design.deliverToEventOwner() && !mutant(cdna.design.Mutant.STOP_LEAVES_INTERRUPT_PENDING)) {
            // A last virtual interrupt: the outgoing owner's handler reaps every completion of c, which settles
            // every event of its tenure, raised or not, pending or already lost (TLA+: owedTo[c] := NoGuest).
            if (design.settleByVirq() && !mutant(cdna.design.Mutant.STOP_DROPS_INTERRUPT)) {
                raise(c, ctxOwner[c], false);
                interruptsDelivered++;
            }
            vector.clear(c);
            taken.clear(c);
            nic.clearEvents(c);
        }
        return true;
    }

    /**
     * TLA+: QuiesceContext(c), per RevokeQuiesce.  "reset": a function-level
     * reset empties both rings and stops both engines; the pins of the
     * descriptors it threw away go with them, as the spec's Pinned is computed
     * from the ring.  "drain-all": enabled once both engines are idle and every
     * validated descriptor is done.  "drain-inflight": once both engines are
     * idle.  "none": at once.  Under an IOMMU the spec changes no DMA state
     * here; a reset still clears the NIC's rings (they are not spec state there).
     */
    public boolean quiesceContext(int c) {
        if (!isCtx(c) || phase[c] != Phase.STOPPED) return false;
        RevokeQuiesce mode = design.revokeQuiesce();
        if (software()) {
            for (Dir d : Dir.values()) {
                boolean idle = nic.queue(c, d).engine().idle();
                boolean quiet = switch (mode) {
                    case DRAIN_INFLIGHT -> idle;
                    case DRAIN_ALL -> idle && nic.queue(c, d).nicNext() == prod[c][d.ordinal()];
                    case RESET, NONE -> true;
                };
                if (!quiet) return false;
            }
            if (mode == RevokeQuiesce.RESET) {
                for (Dir d : Dir.values()) {
                    for (int i = 0; i < inFlight(c, d); i++) unpin(nic.queue(c, d).slot((reaped[c][d.ordinal()] + i) % ringSize));
                }
                nic.resetContext(c, prod[c]);
            }
        } else if (mode == RevokeQuiesce.RESET) {
            nic.resetContext(c, new int[2]);
        }
        phase[c] = Phase.QUIESCED;
        return true;
    }

    /**
     * TLA+: UnmapContext(c).  Under an IOMMU every buffer c has mapped leaves
     * the page table; with FlushOnDomainChange the IOTLB is flushed, otherwise
     * nothing is invalidated and the device keeps the translations.
     */
    public boolean unmapContext(int c) {
        if (!isCtx(c) || phase[c] != Phase.QUIESCED) return false;
        if (!software()) {
            Removal removed = new Removal();
            for (IoBuffer b : posted.get(c)) dropBuffer(c, b, removed);
            posted.get(c).clear();
            if (design.flushOnDomainChange()) {
                iommu.flushAll();
                unflushed = 0;
            }
            // Without a quarantine domain the requester ID goes back to the hardware domain, whose
            // page table maps the hypervisor's private pages (XSA-302): the device, whatever the
            // outgoing guest left it doing, can now write them.
            if (!design.quarantineOnUnmap()) for (int p : mem.privatePages()) iommu.map(rid(c), p, fullPage());
        }
        phase[c] = Phase.UNMAPPED;
        return true;
    }

    /**
     * TLA+: UnpinContext(c): every outstanding descriptor of c counts as reaped, and its pins go;
     * c is free (MigrationHandoff's ReleaseContext), and with ClearMacOnRelease its receive filter
     * is cleared, so no frame for the outgoing owner's address reaches c's next owner.
     */
    public boolean unpinContext(int c) {
        if (!isCtx(c) || phase[c] != Phase.UNMAPPED) return false;
        if (software()) {
            for (Dir d : Dir.values()) {
                for (int n = inFlight(c, d); n > 0; n--) reapOne(c, d);
            }
        }
        phase[c] = Phase.FREE;
        if (design.clearMacOnRelease()) nic.clearMacs(c);
        return true;
    }

    /**
     * Programs c's receive filter with an address of g's (see {@link GuestMacs}): its first one
     * that no context's filter claims, so each of g's contexts has an address of its own.
     */
    private void programMac(int c, String g) {
        if (!isGuest(g)) return;
        for (int k = 0; k <= 0xff; k++) {
            String mac = GuestMacs.of(g, k);
            if (nic.demux(mac) < 0) {
                nic.addMac(c, mac);
                return;
            }
        }
        throw new IllegalStateException("guest " + g + " has no MAC address left for context " + c);
    }

    /**
     * TLA+: AssignContext(c, g): c goes to g, a guest other than its last owner;
     * g gets c's doorbell and rings, and c's interrupt remapping entry now grants
     * g's vector; c's receive filter gets g's address (an address the last owner
     * left there, without ClearMacOnRelease, stays).  Events the NIC recorded for
     * c before belong to the last tenure.
     */
    public boolean assignContext(int c, String g) {
        if (!isCtx(c) || phase[c] != Phase.FREE || !isGuest(g) || g.equals(ctxOwner[c])) return false;
        ctxOwner[c] = g;
        phase[c] = Phase.ASSIGNED;
        if (!software() && !design.quarantineOnUnmap() && !hardwareDomainHolds(rid(c))) {
            // The requester ID leaves the hardware domain for the new owner's.
            for (int p : mem.privatePages()) {
                iommu.unmap(rid(c), p, fullPage());
                iommu.invalidate(rid(c), p);
            }
        }
        holders.get(c).add(g);
        programMac(c, g);
        if (!mutant(cdna.design.Mutant.ASSIGN_KEEPS_OLD_IRTE)) iommu.setIrte(c, Set.of(g));
        nic.clearEvents(c);
        return true;
    }

    // ---------------------------------------------------------------- interrupts

    /** TLA+: vector. */
    public BitSet vector() { return (BitSet) vector.clone(); }
    /** TLA+: physIrq. */
    public boolean physIrq() { return physIrq; }
    /** TLA+: taken. */
    public BitSet taken() { return (BitSet) taken.clone(); }
    /** TLA+: scanDue. */
    public boolean scanDue() { return scanDue; }

    /**
     * TLA+: NicRaise(c): the NIC sets c's bit in the vector in hypervisor memory
     * and raises the physical interrupt; this reports every event the NIC had
     * recorded for c.  A stopped context's interrupt source is masked.
     */
    public boolean nicRaise(int c) {
        if (!isCtx(c) || phase[c] != Phase.ASSIGNED || vector.get(c)) return false;
        vector.set(c);
        physIrq = true;
        nic.clearEvents(c);
        return true;
    }

    /** TLA+: HandleInterrupt: take the set bits and clear exactly those, in one step. */
    public boolean handleInterrupt() {
        if (!design.scanBeforeClear() || !physIrq) return false;
        physIrq = false;
        taken.or(vector);
        vector.clear();
        return true;
    }

    /** TLA+: ClearVector: the known-bad order clears the vector before looking at it. */
    public boolean clearVector() {
        if (design.scanBeforeClear() || !physIrq) return false;
        physIrq = false;
        vector.clear();
        scanDue = true;
        return true;
    }

    /** TLA+: ScanVector: then scans it, seeing only bits set since the clear. */
    public boolean scanVector() {
        if (!scanDue) return false;
        scanDue = false;
        taken.or(vector);
        vector.clear();
        return true;
    }

    /** TLA+: DeliverVirq(c): a virtual interrupt for c to c's owner now. */
    public boolean deliverVirq(int c) {
        if (!isCtx(c) || !taken.get(c)) return false;
        taken.clear(c);
        raise(c, ctxOwner[c], false);
        interruptsDelivered++;
        return true;
    }

    /** Where virtual interrupts go, as they go: what the isolation checker observes. */
    public interface VirqListener {
        /** A virtual interrupt for context c was just raised in guest g; msi: by the device's own MSI. */
        void virq(int c, String g, boolean msi);
    }

    /** Tells l of every virtual interrupt from now on (null: nobody).  Not copied by {@link #copy}. */
    public void setVirqListener(VirqListener l) { this.listener = l; }

    private void raise(int c, String g, boolean msi) {
        virqs.get(g).set(c);
        if (listener != null) listener.virq(c, g, msi);
    }

    /**
     * TLA+: CanRaise(c), as far as the hypervisor sees it: the vectors c's
     * device can raise with the MSIs it sends itself.  A directly driven device
     * (IOMMU protection) writes whatever MSI its guest tells it to, and only
     * remapping stops it; under software protection the NIC raises the vector
     * the hypervisor programmed for c.  What a validated descriptor lets the
     * NIC write into the interrupt range is the bus's to add (HostSystem#canRaise).
     */
    public Set<String> canRaise(int c) {
        TreeSet<String> r = new TreeSet<>();
        for (String v : guests) if (software() ? iommu.irte(c).contains(v) && iommu.passes(c, v) : iommu.passes(c, v)) r.add(v);
        return r;
    }

    /**
     * An MSI from c's device asking for vector v (each guest's vector is named
     * after it): a DMA write to the interrupt address range, which the device
     * of an assigned context can make at will when its guest drives it
     * directly.  Under software protection the guest has no such handle: the
     * NIC sends the vector the hypervisor programmed for c, or nothing.  With
     * InterruptRemapping the IOMMU passes it only if c's remapping entry
     * grants v.  Returns the guest interrupted, or null if the MSI was blocked
     * or could not be sent.
     */
    public String sendMsi(int c, String v) {
        if (!isCtx(c) || phase[c] != Phase.ASSIGNED || !isGuest(v)) return null;
        if (software() && !iommu.irte(c).contains(v)) return null;
        return msiWrite(c, v);
    }

    /**
     * A DMA write by c's device into the interrupt address range, asking for
     * vector v: an MSI, whoever chose the bytes (the bus calls this for a
     * write that a descriptor aimed at the range).  Remapping passes it only
     * if c's entry grants v.  Returns the guest interrupted, or null.
     */
    public String msiWrite(int c, String v) {
        if (!isCtx(c) || !isGuest(v)) return null;
        if (!iommu.remapMsi(c, v)) return null;
        raise(c, v, true);
        msisDelivered++;
        return v;
    }

    /** The contexts guest g has been interrupted for and not yet acknowledged; acknowledging clears them. */
    public BitSet acknowledgeInterrupts(String g) {
        BitSet v = virqs.get(g);
        if (v == null) return new BitSet();
        BitSet r = (BitSet) v.clone();
        v.clear();
        return r;
    }

    public BitSet pendingInterrupts(String g) {
        BitSet v = virqs.get(g);
        return v == null ? new BitSet() : (BitSet) v.clone();
    }

    public long hypercalls() { return hypercalls; }
    public long pagesValidated() { return pagesValidated; }
    public long bounceBytes() { return bounceBytes; }
    /** Pages pinned or unpinned so far (software protection with PinPages). */
    public long pinUpdates() { return pinUpdates; }
    public long interruptsDelivered() { return interruptsDelivered; }
    public long msisDelivered() { return msisDelivered; }
}
