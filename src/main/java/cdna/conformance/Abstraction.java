package cdna.conformance;

import cdna.hypervisor.IoBuffer;
import cdna.sim.HostSystem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The abstraction function: HostSystem's spec-state view ({@code cdnaState()}
 * or {@code iommuState()}, and for ContextOwnership both of them and
 * {@code ownershipState()}) written as TLC would print the spec's variables,
 * so it can be compared with a trace state value for value.
 *
 * <p>For ContextOwnership the layer not in use is abstracted from the Java
 * state too, not filled in from the spec's Init: the spec says it never
 * changes, and a Java step that touched it should show as a divergence.
 */
final class Abstraction {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Abstraction() {}

    /** Every spec variable, normalized (see {@link Values#normalize}). */
    static Map<String, JsonNode> of(HostSystem s, ModelSetup m) {
        Map<String, JsonNode> raw;
        if (m.ownership()) {
            raw = new LinkedHashMap<>(cdna(s, m));
            // ContextOwnership substitutes NoCall for CdnaProtection's call (its hypercall is one step) and no bits for pinBit.
            raw.remove("call");
            raw.remove("pinBit");
            raw.putAll(iommu(s, m));
            raw.putAll(ownership(s, m));
        } else {
            raw = m.cdna() ? cdna(s, m) : iommu(s, m);
        }
        Map<String, JsonNode> r = new LinkedHashMap<>();
        raw.forEach((k, v) -> r.put(k, Values.normalize(v)));
        return r;
    }

    private static JsonNode owners(Map<Integer, String> owner, ModelSetup m) {
        ObjectNode o = F.objectNode();
        owner.forEach((p, g) -> o.put(m.pageName(p), m.ownerName(g)));
        return o;
    }

    private static Map<String, JsonNode> cdna(HostSystem s, ModelSetup m) {
        HostSystem.CdnaState st = s.cdnaState();
        Map<String, JsonNode> v = new LinkedHashMap<>();
        v.put("owner", owners(st.owner(), m));
        v.put("ctxOwner", strings(st.ctxOwner()));
        ObjectNode ring = F.objectNode();
        st.ring().forEach((c, slots) -> {
            ObjectNode fn = ring.putObject(c);
            // With ModelIommuRing the ring is the guest's (IOMMU layer): the spec keeps who wrote each slot in
            // slotOwner and the CDNA layer's ring stays empty, whatever IOVAs the guest wrote.
            for (int i = 0; i < slots.size(); i++) {
                fn.set(Integer.toString(i), desc(m.modelIommuRing() ? new HostSystem.Desc(0, 0, m.config().seqMod()) : slots.get(i)));
            }
        });
        v.put("ring", ring);
        v.put("prod", ints(st.prod()));
        v.put("reaped", ints(st.reaped()));
        v.put("nicNext", ints(st.nicNext()));
        ObjectNode doorbell = F.objectNode();
        // With ModelDoorbell = FALSE the spec does not model the register: its doorbell is 0 forever.  The
        // Java register still has to be rung for the NIC to fetch, so its value is abstracted to that 0.
        st.doorbell().forEach((c, d) -> doorbell.put(c, m.modelDoorbell() ? d : 0));
        v.put("doorbell", doorbell);
        ObjectNode engine = F.objectNode();
        st.engine().forEach((c, e) -> {
            ObjectNode o = engine.putObject(c);
            o.set("desc", desc(e.desc()));
            o.put("moved", e.moved());
        });
        v.put("engine", engine);
        ObjectNode call = F.objectNode();
        st.call().forEach((c, b) -> call.putObject(c).put("addr", b.addr()).put("len", b.len()));
        v.put("call", call);
        ObjectNode pinBit = F.objectNode();
        st.pinBit().forEach((p, b) -> pinBit.put(m.pageName(p), b));
        v.put("pinBit", pinBit);
        return v;
    }

    private static ObjectNode desc(HostSystem.Desc d) {
        ObjectNode o = F.objectNode();
        o.put("addr", d.addr());
        o.put("len", d.len());
        o.put("seq", d.seq());
        return o;
    }

    private static Map<String, JsonNode> iommu(HostSystem s, ModelSetup m) {
        HostSystem.IommuState st = s.iommuState();
        Map<String, JsonNode> v = new LinkedHashMap<>();
        v.put("owner", owners(st.owner(), m));
        v.put("ctxOwner", strings(st.ctxOwner()));
        ObjectNode posted = F.objectNode();
        st.posted().forEach((c, bs) -> {
            List<JsonNode> xs = new ArrayList<>();
            for (IoBuffer b : bs) {
                ObjectNode o = F.objectNode();
                page(o, "first", b.first(), m);
                page(o, "second", b.second(), m);
                o.put("off", b.off());
                o.put("len", b.len());
                xs.add(o);
            }
            posted.set(c, Values.set(xs));
        });
        v.put("posted", posted);
        v.put("persist", cells(st.persist(), m));
        v.put("iotlb", cells(st.iotlb(), m));
        v.put("unflushed", F.numberNode(st.unflushed()));
        return v;
    }

    private static ObjectNode cells(Map<String, SortedSet<HostSystem.Cell>> byDomain, ModelSetup m) {
        ObjectNode r = F.objectNode();
        byDomain.forEach((d, cells) -> {
            List<JsonNode> xs = new ArrayList<>();
            for (HostSystem.Cell c : cells) {
                ObjectNode o = F.objectNode();
                page(o, "page", c.page(), m);
                o.put("off", c.off());
                xs.add(o);
            }
            r.set(d.equals("SharedRid") ? m.sharedRid() : d, Values.set(xs));
        });
        return r;
    }

    /** A page as a record field: an integer where pages are 1..NPages, a model value in IommuProtection. */
    private static void page(ObjectNode o, String field, int p, ModelSetup m) {
        if (m.integerPages()) o.put(field, p); else o.put(field, m.pageName(p));
    }

    private static Map<String, JsonNode> ownership(HostSystem s, ModelSetup m) {
        HostSystem.OwnershipState st = s.ownershipState();
        Map<String, JsonNode> v = new LinkedHashMap<>();
        v.put("phase", strings(st.phase()));
        v.put("holders", setsOf(st.holders()));
        ObjectNode slotOwner = F.objectNode();
        st.slotOwner().forEach((c, ghost) -> {
            // With ModelIommuRing the IOMMU layer's slotOwner is who wrote each slot of the guest-written ring.
            List<String> slots = m.modelIommuRing() ? s.ringWriters(s.ctx(c)) : ghost;
            // [0..RingSize-1 -> Guests] is not a sequence, so TLC prints it as a function from 0.
            ObjectNode fn = slotOwner.putObject(c);
            for (int i = 0; i < slots.size(); i++) fn.put(Integer.toString(i), slots.get(i));
        });
        v.put("slotOwner", slotOwner);
        v.put("engineOwner", strings(st.engineOwner()));
        v.put("irte", setsOf(st.irte()));
        v.put("vector", set(st.vector()));
        v.put("physIrq", F.booleanNode(st.physIrq()));
        v.put("taken", set(st.taken()));
        v.put("scanDue", F.booleanNode(st.scanDue()));
        ObjectNode owed = F.objectNode();
        st.owedTo().forEach((c, g) -> owed.put(c, HostSystem.NO_GUEST.equals(g) ? m.noGuest() : g));
        v.put("owedTo", owed);
        return v;
    }

    private static JsonNode set(java.util.Collection<String> xs) {
        List<JsonNode> r = new ArrayList<>();
        for (String x : xs) r.add(F.textNode(x));
        return Values.set(r);
    }

    private static ObjectNode setsOf(Map<String, ? extends java.util.Collection<String>> m) {
        ObjectNode o = F.objectNode();
        m.forEach((k, xs) -> o.set(k, set(xs)));
        return o;
    }

    private static ObjectNode strings(Map<String, String> m) {
        ObjectNode o = F.objectNode();
        m.forEach(o::put);
        return o;
    }

    private static ObjectNode ints(Map<String, Integer> m) {
        ObjectNode o = F.objectNode();
        m.forEach(o::put);
        return o;
    }
}
