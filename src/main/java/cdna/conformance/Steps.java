package cdna.conformance;

import cdna.hypervisor.Buffer;
import cdna.hypervisor.IoBuffer;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.json.LocatedJson.Obj;
import cdna.nic.DescriptorQueue;
import cdna.nic.Dir;
import cdna.sim.HostSystem;

import java.util.List;
import java.util.Set;

/** Turns a trace step (spec action and parameters) into the call of HostSystem's method of the same name. */
final class Steps {
    private Steps() {}

    private static final String MEMORY = "AllocatePage, FreePage, TransferPage";
    private static final String CDNA = "PostDescriptor, ValidateBuffer, PinAndPost, RingDoorbell, NicFetch, NicDma, ReapCompletions";
    private static final String IOMMU = "MapBuffer, UnmapBuffer, FlushIotlb";
    private static final String OWNERSHIP = "WriteDescriptor, StopContext, QuiesceContext, UnmapContext, UnpinContext, AssignContext, "
            + "NicRaise, HandleInterrupt, ClearVector, ScanVector, DeliverVirq";

    /**
     * Null when the Java step was enabled and taken; otherwise why it was not.
     * ContextOwnership has the actions of both layers (each guarded by
     * Protection): they are all dispatched, and one of the other layer is
     * refused by Java as the spec disables it.
     */
    static String apply(HostSystem s, ModelSetup m, Trace.State st, List<String> notes) throws InputException {
        String a = st.action();
        boolean memory = Set.of("AllocatePage", "FreePage", "TransferPage").contains(a);
        boolean cdna = Set.of("PostDescriptor", "ValidateBuffer", "PinAndPost", "RingDoorbell", "NicFetch", "NicDma",
                "ReapCompletions").contains(a);
        boolean iommu = Set.of("MapBuffer", "UnmapBuffer", "FlushIotlb").contains(a);
        if (m.ownership()) {
            if (memory) return memory(s, m, st);
            if (cdna) return cdna(s, m, st, notes);
            if (iommu) return iommu(s, m, st);
            return ownership(s, m, st);
        }
        if (memory) return memory(s, m, st);
        if (m.cdna()) {
            if (cdna) return cdna(s, m, st, notes);
            throw unknown(st, MEMORY + ", " + CDNA);
        }
        if (iommu) return iommu(s, m, st);
        throw unknown(st, MEMORY + ", " + IOMMU);
    }

    private static String memory(HostSystem s, ModelSetup m, Trace.State st) throws InputException {
        Obj p = st.params();
        String a = st.action();
        return switch (a) {
            case "AllocatePage" -> {
                keys(p, a, "g", "p");
                yield taken(s.allocatePage(m.guest(p.get("g"), "g"), m.page(p.get("p"), "p")));
            }
            case "FreePage" -> {
                keys(p, a, "g", "p");
                yield taken(s.freePage(m.guest(p.get("g"), "g"), m.page(p.get("p"), "p")));
            }
            case "TransferPage" -> {
                keys(p, a, "g", "h", "p");
                yield taken(s.transferPage(m.guest(p.get("g"), "g"), m.guest(p.get("h"), "h"), m.page(p.get("p"), "p")));
            }
            default -> throw unknown(st, MEMORY);
        };
    }

    private static String cdna(HostSystem s, ModelSetup m, Trace.State st, List<String> notes) throws InputException {
        Obj p = st.params();
        String a = st.action();
        return switch (a) {
            case "PostDescriptor" -> {
                keys(p, a, "c", "b");
                yield taken(s.postDescriptor(m.context(p.get("c"), "c"), buffer(p)));
            }
            case "ValidateBuffer" -> {
                keys(p, a, "c", "b");
                yield taken(s.validateBuffer(m.context(p.get("c"), "c"), buffer(p)));
            }
            case "PinAndPost" -> {
                keys(p, a, "c");
                yield taken(s.pinAndPost(m.context(p.get("c"), "c")));
            }
            case "RingDoorbell" -> {
                keys(p, a, "c", "v");
                if (!m.modelDoorbell()) yield "the spec's RingDoorbell requires ModelDoorbell, which is FALSE in this model";
                yield taken(s.ringDoorbell(m.context(p.get("c"), "c"), LocatedJson.integer(p.get("v"), "v")));
            }
            case "NicFetch" -> {
                keys(p, a, "c");
                String c = m.context(p.get("c"), "c");
                if (!m.modelDoorbell()) ringIfNeeded(s, m, st, c, notes);
                yield taken(s.nicFetch(c));
            }
            case "NicDma" -> {
                keys(p, a, "c");
                yield taken(s.nicDma(m.context(p.get("c"), "c")));
            }
            case "ReapCompletions" -> {
                keys(p, a, "c");
                yield taken(s.reapCompletions(m.context(p.get("c"), "c")));
            }
            default -> throw unknown(st, CDNA);
        };
    }

    private static String iommu(HostSystem s, ModelSetup m, Trace.State st) throws InputException {
        Obj p = st.params();
        String a = st.action();
        return switch (a) {
            case "MapBuffer" -> {
                keys(p, a, "c", "b");
                yield taken(s.mapBuffer(m.context(p.get("c"), "c"), ioBuffer(m, p)));
            }
            case "UnmapBuffer" -> {
                keys(p, a, "c", "b");
                yield taken(s.unmapBuffer(m.context(p.get("c"), "c"), ioBuffer(m, p)));
            }
            case "FlushIotlb" -> {
                // TLC labels a parameterless action with a dummy record [none |-> 0].
                LocatedJson.onlyKeys(p, Set.of("none"), "the parameters of FlushIotlb");
                yield taken(s.flushIotlb());
            }
            default -> throw unknown(st, IOMMU);
        };
    }

    /** ContextOwnership's pipeline and interrupt actions. */
    private static String ownership(HostSystem s, ModelSetup m, Trace.State st) throws InputException {
        Obj p = st.params();
        String a = st.action();
        return switch (a) {
            case "WriteDescriptor" -> {
                keys(p, a, "c", "i", "g");
                // The spec's descriptor is any IOVA: the twin writes a one-byte buffer at the first one.
                yield taken(s.as(m.guest(p.get("g"), "g")).writeDescriptor(m.context(p.get("c"), "c"), Dir.RX,
                        (int) LocatedJson.integer(p.get("i"), "i"), cdna.nic.Descriptor.of(0, 1, 0)));
            }
            case "StopContext" -> {
                keys(p, a, "c");
                yield taken(s.stopContext(m.context(p.get("c"), "c")));
            }
            case "QuiesceContext" -> {
                keys(p, a, "c");
                yield taken(s.quiesceContext(m.context(p.get("c"), "c")));
            }
            case "UnmapContext" -> {
                keys(p, a, "c");
                yield taken(s.unmapContext(m.context(p.get("c"), "c")));
            }
            case "UnpinContext" -> {
                keys(p, a, "c");
                yield taken(s.unpinContext(m.context(p.get("c"), "c")));
            }
            case "AssignContext" -> {
                keys(p, a, "c", "g");
                yield taken(s.assignContext(m.context(p.get("c"), "c"), m.guest(p.get("g"), "g")));
            }
            case "NicRaise" -> {
                keys(p, a, "c");
                yield taken(s.nicRaise(m.context(p.get("c"), "c")));
            }
            case "DeliverVirq" -> {
                keys(p, a, "c");
                yield taken(s.deliverVirq(m.context(p.get("c"), "c")));
            }
            case "HandleInterrupt" -> {
                LocatedJson.onlyKeys(p, Set.of("none"), "the parameters of HandleInterrupt");
                yield taken(s.handleInterrupt());
            }
            case "ClearVector" -> {
                LocatedJson.onlyKeys(p, Set.of("none"), "the parameters of ClearVector");
                yield taken(s.clearVector());
            }
            case "ScanVector" -> {
                LocatedJson.onlyKeys(p, Set.of("none"), "the parameters of ScanVector");
                yield taken(s.scanVector());
            }
            default -> throw unknown(st, MEMORY + ", " + CDNA + ", " + IOMMU + ", " + OWNERSHIP);
        };
    }

    private static String taken(boolean enabled) { return enabled ? null : "Java refuses the step (its method returned false)"; }

    /**
     * ModelDoorbell = FALSE over-approximates the guest-written doorbell: the NIC
     * may fetch whenever it likes.  The Java NIC fetches only while the doorbell
     * is ahead of it, so the guest rings it one past nicNext first, which is
     * what a guest wanting exactly this fetch would write.
     */
    private static void ringIfNeeded(HostSystem s, ModelSetup m, Trace.State st, String c, List<String> notes) {
        DescriptorQueue q = s.nic().queue(s.ctx(c), Dir.RX);
        if (q.doorbell() != q.nicNext()) return;
        int v = (q.nicNext() + 1) % m.config().seqMod();
        if (s.hypervisor().holders(s.ctx(c)).isEmpty()) {
            // Nobody holds a stopped context's doorbell, yet the spec's NIC still fetches from it; only the
            // register itself can be written (HostSystem.ringDoorbell requires a holder, as RingDoorbell does).
            s.nic().ringDoorbell(s.ctx(c), Dir.RX, v);
            notes.add("state " + st.index() + ": wrote the doorbell register of " + c + " := " + v + " before NicFetch(" + c
                    + ") (ModelDoorbell = FALSE lets the spec's NIC fetch at any time; nobody holds " + c + "'s doorbell)");
            return;
        }
        s.ringDoorbell(c, v);
        notes.add("state " + st.index() + ": rang doorbell[" + c + "] := " + v + " before NicFetch(" + c
                + ") (ModelDoorbell = FALSE lets the spec's NIC fetch at any time)");
    }

    private static Buffer buffer(Obj p) throws InputException {
        Obj b = LocatedJson.object(p.get("b"), "b");
        keys(b, "a buffer", "addr", "len");
        return new Buffer(LocatedJson.integer(b.get("addr"), "b.addr"), LocatedJson.integer(b.get("len"), "b.len"));
    }

    private static IoBuffer ioBuffer(ModelSetup m, Obj p) throws InputException {
        Obj b = LocatedJson.object(p.get("b"), "b");
        keys(b, "a buffer", "first", "second", "off", "len");
        return new IoBuffer(m.page(b.get("first"), "b.first"), m.page(b.get("second"), "b.second"),
                LocatedJson.integer(b.get("off"), "b.off"), LocatedJson.integer(b.get("len"), "b.len"));
    }

    private static void keys(Obj o, String what, String... names) throws InputException {
        LocatedJson.onlyKeys(o, Set.of(names), "the parameters of " + what);
        for (String n : names) LocatedJson.required(o, n);
    }

    private static InputException unknown(Trace.State st, String known) {
        return new InputException(st.actionNode().where() + ": expected an action of the spec (" + known + "), found \""
                + st.action() + "\"");
    }
}
