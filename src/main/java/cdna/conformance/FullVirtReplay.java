package cdna.conformance;

import cdna.check.Cfg;
import cdna.design.Design;
import cdna.hypervisor.GuestPhysical;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.sim.FullVirtHost;
import cdna.sim.Violation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * Spec to implementation for FullVirtualization: replays a TLC counterexample
 * on the full-virtualization host ({@link FullVirtHost}), one method of the
 * action's name per step, compares every variable (owner, ctxOwner, p2m,
 * posted) after Init and after every step, and requires the host's checker
 * to flag the property TLC found violated at the state where TLC found it.
 */
final class FullVirtReplay {
    private FullVirtReplay() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final List<String> VARIABLES = List.of("owner", "ctxOwner", "p2m", "posted");

    /** Whether cfg is a FullVirtualization model. */
    static boolean isFullVirt(Cfg cfg) { return cfg.hasConstant("NGuestPages"); }

    /** The model's constants, with names for Hyp and NoPage as the cfg spells them. */
    record Model(List<String> guests, int nPages, int nGuestPages, List<String> contexts, int ringSize, String hyp, String noPage) {}

    /** The twin built from the model's constants, its contexts starting with the trace's first owners. */
    private static FullVirtHost host(Trace t, Model m, Cfg cfg, Design design) throws InputException {
        for (Trace.State st : t.states()) {
            for (String v : VARIABLES) {
                if (st.vars().get(v) == null) {
                    throw new InputException(st.vars().where() + ": state " + st.index() + " lacks variable " + v + "; expected " + VARIABLES);
                }
            }
        }
        LocatedJson.Obj owners = LocatedJson.object(t.states().get(0).vars().get("ctxOwner"), "ctxOwner");
        List<String> ctxOwners = new ArrayList<>();
        for (String c : m.contexts()) {
            LocatedJson.Node g = owners.get(c);
            if (g == null) throw new InputException(owners.where() + ": ctxOwner has no entry for context " + c);
            ctxOwners.add(LocatedJson.string(g, "ctxOwner[" + c + "]"));
        }
        return host(m, cfg, design, ctxOwners);
    }

    /** The twin built from the model's constants, its contexts starting with the given owners. */
    static FullVirtHost host(Model m, Cfg cfg, Design design, List<String> ctxOwners) throws InputException {
        try {
            return new FullVirtHost(design, m.guests(), m.nPages(), m.nGuestPages(), m.contexts(), ctxOwners, m.ringSize());
        } catch (IllegalArgumentException e) {
            throw new InputException(cfg.source() + ": the Java twin cannot be built from these constants: " + e.getMessage());
        }
    }

    static Model model(Cfg cfg) throws InputException {
        ModelSetup.Constants k = new ModelSetup.Constants(cfg);
        return new Model(k.names("Guests"), k.integer("NPages"), k.integer("NGuestPages"), k.names("Contexts"), k.integer("RingSize"),
                k.name("Hyp"), k.name("NoPage"));
    }

    /** As {@link TraceReplay#sideBySide}: every state with each variable's spec value beside the twin's, up to a refused step. */
    static List<TraceReplay.StateView> sideBySide(Trace t, Cfg cfg, Design design) throws InputException {
        Model m = model(cfg);
        FullVirtHost h = host(t, m, cfg, design);
        List<TraceReplay.StateView> out = new ArrayList<>();
        int seen = 0;
        for (int i = 0; i < t.states().size(); i++) {
            Trace.State st = t.states().get(i);
            String refused = i == 0 || apply(h, st) ? null : "Java refuses the step (its method returned false)";
            List<String> fresh = new ArrayList<>();
            List<Violation> vs = h.violations();
            for (; seen < vs.size(); seen++) fresh.add(vs.get(seen).property() + " (" + vs.get(seen).kind() + "): " + vs.get(seen).detail());
            Map<String, JsonNode> actual = new java.util.LinkedHashMap<>();
            for (var e : state(h, m).entrySet()) actual.put(e.getKey(), Values.normalize(e.getValue()));
            List<TraceReplay.VarView> vars = TraceReplay.varViews(st, VARIABLES, actual);
            out.add(new TraceReplay.StateView(st.index(), i == 0 ? "Init" : st.label(), vars, fresh, refused));
            if (refused != null) break;
        }
        return out;
    }

    static ReplayResult replay(Path traceJson, Trace t, Cfg cfg, Design design) throws InputException {
        Model m = model(cfg);
        FullVirtHost h = host(t, m, cfg, design);
        List<String> flagged = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int firstFlag = -1;
        String divergence = compare(t.states().get(0), h, m);
        if (divergence == null && flags(h, t.property(), 1, flagged)) firstFlag = 1;
        int applied = 0;
        for (int i = 1; i < t.states().size() && divergence == null; i++) {
            Trace.State st = t.states().get(i);
            if (!apply(h, st)) {
                divergence = TraceReplay.where(st) + ": a step of the spec, but Java refuses the step (its method returned false)";
                break;
            }
            applied++;
            divergence = compare(st, h, m);
            if (divergence == null && firstFlag < 0 && flags(h, t.property(), st.index(), flagged)) firstFlag = st.index();
        }
        for (Violation v : h.violations()) notes.add(v.toString());
        int last = t.states().size();
        boolean complete = divergence == null && applied == last - 1;
        boolean reproduced = complete && firstFlag == last;
        String head = t.model() + " " + t.property() + ": ";
        String summary = divergence != null ? head + "DIVERGES at " + divergence
                : TraceReplay.safetySummary(head, t.property(), last, complete, firstFlag);
        return new ReplayResult(traceJson.toString(), t.model(), t.design(), t.property(), reproduced, last, applied, divergence,
                flagged, notes, summary);
    }

    private static boolean flags(FullVirtHost h, String property, int index, List<String> flagged) {
        if (!h.violated(property)) return false;
        flagged.add(property + "@" + index + " (REACH)");
        return true;
    }

    private static String compare(Trace.State st, FullVirtHost h, Model m) {
        Map<String, JsonNode> actual = state(h, m);
        for (String v : VARIABLES) {
            LocatedJson.Node node = st.vars().get(v);
            String d = Values.difference(v, Values.normalize(Values.of(node)), Values.normalize(actual.get(v)));
            if (d != null) return TraceReplay.where(st) + ", variable " + v + " (" + node.where() + "): " + d;
        }
        return null;
    }

    /** The host's state in the spec's variables. */
    static Map<String, JsonNode> state(FullVirtHost h, Model m) {
        GuestPhysical g = h.hypervisor();
        Map<String, JsonNode> r = new LinkedHashMap<>();
        ObjectNode owner = F.objectNode();
        for (int p = 1; p <= g.nPages(); p++) owner.put(Integer.toString(p), g.owner(p).equals(GuestPhysical.HYP) ? m.hyp() : g.owner(p));
        r.put("owner", owner);
        ObjectNode ctxOwner = F.objectNode();
        ObjectNode posted = F.objectNode();
        for (int c = 0; c < g.contexts(); c++) {
            ctxOwner.put(m.contexts().get(c), g.ctxOwner(c));
            List<JsonNode> xs = new ArrayList<>();
            for (int b : g.posted(c)) xs.add(F.numberNode((long) b));
            posted.set(m.contexts().get(c), Values.set(xs));
        }
        r.put("ctxOwner", ctxOwner);
        ObjectNode p2m = F.objectNode();
        for (String guest : m.guests()) {
            ObjectNode fn = p2m.putObject(guest);
            for (int gp = 1; gp <= g.nGuestPages(); gp++) {
                int mp = g.p2m(guest, gp);
                if (mp == GuestPhysical.NO_PAGE) fn.put(Integer.toString(gp), m.noPage());
                else fn.put(Integer.toString(gp), mp);
            }
        }
        r.put("p2m", p2m);
        r.put("posted", posted);
        return r;
    }

    private static int param(Trace.State st, String name) throws InputException {
        LocatedJson.Node n = st.params().get(name);
        if (n == null) throw new InputException(st.params().where() + ": " + st.action() + " needs parameter " + name);
        return (int) LocatedJson.integer(n, "parameter " + name);
    }

    private static String text(Trace.State st, String name) throws InputException {
        LocatedJson.Node n = st.params().get(name);
        if (n == null) throw new InputException(st.params().where() + ": " + st.action() + " needs parameter " + name);
        return LocatedJson.string(n, "parameter " + name);
    }

    /** Takes the step into st: the host's method of the action's name. */
    static boolean apply(FullVirtHost h, Trace.State st) throws InputException {
        return switch (st.action()) {
            case "AllocatePage" -> h.allocatePage(text(st, "g"), param(st, "gp"), param(st, "p"));
            case "FreePage" -> h.freePage(text(st, "g"), param(st, "gp"));
            case "PostBuffer" -> h.postBuffer(text(st, "c"), param(st, "gp"));
            case "CompleteBuffer" -> h.completeBuffer(text(st, "c"), param(st, "b"));
            default -> throw new InputException(st.actionNode().where() + ": \"" + st.action()
                    + "\" is not an action of FullVirtualization (AllocatePage, FreePage, PostBuffer, CompleteBuffer)");
        };
    }

}
