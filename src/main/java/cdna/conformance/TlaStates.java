package cdna.conformance;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spec states of the Java machine (its abstraction, normalized JSON) written back as TLA+
 * text, for the generated modules that have TLC look at them (DerivedSets, TraceValidation).
 */
final class TlaStates {
    private TlaStates() {}

    /**
     * The states as a TLA+ tuple of records over {@code vars}, one per line; {@code names} are the
     * identifiers the module can use bare.  A state lacking a variable is an error naming its entry.
     */
    static String tuple(List<Map<String, JsonNode>> states, List<String> vars, Set<String> names) throws cdna.json.InputException {
        StringBuilder t = new StringBuilder("<<\n");
        for (int k = 0; k < states.size(); k++) {
            t.append("  [");
            int n = 0;
            for (String v : vars) {
                JsonNode value = states.get(k).get(v);
                if (value == null) throw new cdna.json.InputException("state " + (k + 1) + " has no variable " + v);
                if (n++ > 0) t.append(", ");
                t.append(v).append(" |-> ").append(tla(Values.normalize(value), names));
            }
            t.append(k + 1 < states.size() ? "],\n" : "]\n");
        }
        return t.append(">>").toString();
    }

    /** A normalized abstraction value as a TLA+ expression; names are model values, other strings are strings. */
    static String tla(JsonNode n, Set<String> names) {
        if (Values.isSet(n)) {
            List<String> xs = new ArrayList<>();
            for (JsonNode x : n.get(Values.SET)) xs.add(tla(x, names));
            return "{" + String.join(", ", xs) + "}";
        }
        if (n.isArray()) {
            List<String> xs = new ArrayList<>();
            for (JsonNode x : n) xs.add(tla(x, names));
            return "<<" + String.join(", ", xs) + ">>";
        }
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            boolean record = !keys.isEmpty();
            for (String k : keys) record &= !names.contains(k) && !k.matches("-?\\d+");
            List<String> xs = new ArrayList<>();
            for (String k : keys) {
                xs.add(record ? k + " |-> " + tla(n.get(k), names)
                        : (k.matches("-?\\d+") || names.contains(k) ? k : "\"" + k + "\"") + " :> " + tla(n.get(k), names));
            }
            if (xs.isEmpty()) return "<<>>";
            return record ? "[" + String.join(", ", xs) + "]" : "(" + String.join(" @@ ", xs) + ")";
        }
        if (n.isBoolean()) return n.booleanValue() ? "TRUE" : "FALSE";
        if (n.isNumber()) return Long.toString(n.longValue());
        String s = n.asText();
        return names.contains(s) ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
