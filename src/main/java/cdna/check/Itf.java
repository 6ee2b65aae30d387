package cdna.check;

import cdna.trace.TlaValue;
import cdna.trace.TraceState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Counterexamples in the Informal Trace Format (ITF, Apalache ADR-015), the
 * JSON traces Apalache and Quint write, so other trace viewers read ours.
 *
 * <p>Encodings: integers {@code {"#bigint": "n"}}; strings and booleans as
 * JSON; TLC model values (g1, Hyp) as strings, listed under
 * {@code #meta.modelValues}; sets {@code {"#set": [...]}}; functions
 * {@code {"#map": [[k, v], ...]}}; records as JSON objects; sequences (and
 * functions TLC prints as sequences, those with domain 1..n) as JSON arrays.
 * Each state's {@code #meta} carries its index and, where the trace was
 * labelled, the action and its parameters; a liveness lasso has {@code loop},
 * the 0-based index of the state it returns to.
 */
public final class Itf {
    public static final String FORMAT_DESCRIPTION = "https://apalache-mc.org/docs/adr/015adr-trace.html";

    private Itf() {}

    /** One labelled step: the action that produced a state, with its parameters (null when unlabelled). */
    public record Step(String action, TlaValue params) {}

    /**
     * @param meta   extra top-level metadata (model, design, property, ...)
     * @param steps  the action of each state, or null when the trace is unlabelled
     * @param loop   1-based state a lasso returns to, or null
     */
    public static ObjectNode of(List<TraceState> trace, List<Step> steps, Integer loop, Map<String, String> meta) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode doc = f.objectNode();
        ObjectNode m = doc.putObject("#meta");
        m.put("format", "ITF");
        m.put("format-description", FORMAT_DESCRIPTION);
        meta.forEach(m::put);
        java.util.Set<String> modelValues = new java.util.TreeSet<>();
        ArrayNode vars = doc.putArray("vars");
        if (!trace.isEmpty()) trace.get(0).vars().keySet().forEach(vars::add);
        ArrayNode states = doc.putArray("states");
        for (int i = 0; i < trace.size(); i++) {
            TraceState st = trace.get(i);
            ObjectNode s = states.addObject();
            ObjectNode sm = s.putObject("#meta");
            sm.put("index", i);
            if (steps != null && i < steps.size() && steps.get(i) != null) {
                sm.put("action", steps.get(i).action());
                TlaValue p = steps.get(i).params();
                if (p != null) sm.set("params", value(p, modelValues));
            } else {
                sm.put("action", st.action());
            }
            for (Map.Entry<String, TlaValue> e : st.vars().entrySet()) s.set(e.getKey(), value(e.getValue(), modelValues));
        }
        if (loop != null && loop > 0) doc.put("loop", loop - 1);
        ArrayNode mv = m.putArray("modelValues");
        modelValues.forEach(mv::add);
        return doc;
    }

    /** The ITF encoding of one TLC value; model values met are added to {@code modelValues}. */
    public static JsonNode value(TlaValue v, java.util.Set<String> modelValues) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof TlaValue.Int i) {
            ObjectNode o = f.objectNode();
            o.put("#bigint", Long.toString(i.value()));
            return o;
        }
        if (v instanceof TlaValue.Str s) return f.textNode(s.value());
        if (v instanceof TlaValue.Bool b) return f.booleanNode(b.value());
        if (v instanceof TlaValue.ModelValue mv) {
            modelValues.add(mv.name());
            return f.textNode(mv.name());
        }
        if (v instanceof TlaValue.Seq s) {
            ArrayNode a = f.arrayNode();
            s.elements().forEach(e -> a.add(value(e, modelValues)));
            return a;
        }
        if (v instanceof TlaValue.SetOf s) {
            ObjectNode o = f.objectNode();
            ArrayNode a = o.putArray("#set");
            s.elements().forEach(e -> a.add(value(e, modelValues)));
            return o;
        }
        if (v instanceof TlaValue.Rec r) {
            ObjectNode o = f.objectNode();
            r.fields().forEach((k, x) -> o.set(k, value(x, modelValues)));
            return o;
        }
        TlaValue.Fn fn = (TlaValue.Fn) v;
        ObjectNode o = f.objectNode();
        ArrayNode pairs = o.putArray("#map");
        for (Map.Entry<TlaValue, TlaValue> e : fn.pairs()) {
            ArrayNode pair = pairs.addArray();
            pair.add(value(e.getKey(), modelValues));
            pair.add(value(e.getValue(), modelValues));
        }
        return o;
    }
}
