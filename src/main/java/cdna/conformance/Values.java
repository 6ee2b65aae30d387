package cdna.conformance;

import cdna.json.LocatedJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * TLC values in the trace's JSON form, brought to one canonical shape so that
 * two equal TLA+ values compare equal: TLC prints a function on 1..n as a
 * sequence, prints sets in an order of its own, and JSON objects have no
 * order, so functions on 1..n become arrays, set elements are sorted, object
 * keys are sorted and integers are one numeric type.
 */
final class Values {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String SET = "$set";

    // Record fields of the two specs: shown as .field in paths, the rest as [key] function applications.
    private static final Set<String> FIELDS = Set.of("addr", "len", "seq", "desc", "moved", "first", "second", "off", "page");

    private Values() {}

    static JsonNode of(LocatedJson.Node n) {
        if (n instanceof LocatedJson.Obj o) {
            ObjectNode r = F.objectNode();
            for (var e : o.fields().entrySet()) r.set(e.getKey(), of(e.getValue()));
            return r;
        }
        if (n instanceof LocatedJson.Arr a) {
            ArrayNode r = F.arrayNode();
            for (LocatedJson.Node x : a.items()) r.add(of(x));
            return r;
        }
        Object v = ((LocatedJson.Val) n).value();
        if (v == null) return F.nullNode();
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof Long l) return F.numberNode(l);
        return F.numberNode((Double) v);
    }

    static ObjectNode set(List<JsonNode> elements) {
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray(SET);
        elements.forEach(a::add);
        return o;
    }

    static boolean isSet(JsonNode n) {
        return n.isObject() && n.size() == 1 && n.has(SET) && n.get(SET).isArray();
    }

    static JsonNode normalize(JsonNode n) {
        if (isSet(n)) {
            List<JsonNode> xs = new ArrayList<>();
            for (JsonNode x : n.get(SET)) xs.add(normalize(x));
            xs.sort(Comparator.comparing(JsonNode::toString));
            // TLC never prints a set with a repeated element; a repeat in the input is kept so it shows as a difference.
            return set(xs);
        }
        if (n.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            n.fieldNames().forEachRemaining(keys::add);
            if (isOneToN(keys)) {
                ArrayNode a = F.arrayNode();
                for (int i = 1; i <= keys.size(); i++) a.add(normalize(n.get(Integer.toString(i))));
                return a;
            }
            ObjectNode o = F.objectNode();
            for (String k : keys) o.set(k, normalize(n.get(k)));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = F.arrayNode();
            for (JsonNode x : n) a.add(normalize(x));
            return a;
        }
        if (n.isIntegralNumber()) return F.numberNode(n.longValue());
        return n;
    }

    private static boolean isOneToN(Set<String> keys) {
        if (keys.isEmpty()) return false;
        for (int i = 1; i <= keys.size(); i++) if (!keys.contains(Integer.toString(i))) return false;
        return true;
    }

    /**
     * The first place where two normalized values differ, as "path: trace has
     * X, Java has Y", or null when they are equal.
     */
    static String difference(String path, JsonNode expected, JsonNode actual) {
        if (expected.equals(actual)) return null;
        if (isSet(expected) && isSet(actual)) {
            List<String> missing = new ArrayList<>(), extra = new ArrayList<>();
            List<String> e = strings(expected.get(SET)), a = strings(actual.get(SET));
            for (String x : e) if (!a.contains(x)) missing.add(x);
            for (String x : a) if (!e.contains(x)) extra.add(x);
            return path + ": trace has " + show(expected) + ", Java has " + show(actual)
                    + (missing.isEmpty() ? "" : "; only in the trace: " + String.join(", ", missing))
                    + (extra.isEmpty() ? "" : "; only in Java: " + String.join(", ", extra));
        }
        if (expected.isObject() && actual.isObject() && !isSet(expected) && !isSet(actual)) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String p = path + (FIELDS.contains(k) ? "." + k : "[" + k + "]");
                if (!expected.has(k)) return p + ": not in the trace, Java has " + show(actual.get(k));
                if (!actual.has(k)) return p + ": trace has " + show(expected.get(k)) + ", Java has no such key";
                String d = difference(p, expected.get(k), actual.get(k));
                if (d != null) return d;
            }
            return null;
        }
        if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                String d = difference(path + "[" + (i + 1) + "]", expected.get(i), actual.get(i));
                if (d != null) return d;
            }
            return null;
        }
        return path + ": trace has " + show(expected) + ", Java has " + show(actual);
    }

    private static List<String> strings(JsonNode arr) {
        List<String> r = new ArrayList<>();
        for (JsonNode x : arr) r.add(show(x));
        return r;
    }

    /** A value in TLA+ notation, which is how a reader of the spec thinks of it. */
    static String show(JsonNode n) {
        if (isSet(n)) {
            List<String> xs = strings(n.get(SET));
            return "{" + String.join(", ", xs) + "}";
        }
        if (n.isObject()) {
            StringBuilder sb = new StringBuilder();
            boolean record = true;
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) record &= FIELDS.contains(it.next());
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!first) sb.append(record ? ", " : " @@ ");
                first = false;
                sb.append(e.getKey()).append(record ? " |-> " : " :> ").append(show(e.getValue()));
            }
            return record ? "[" + sb + "]" : "(" + sb + ")";
        }
        if (n.isArray()) {
            List<String> xs = strings(n);
            return "<<" + String.join(", ", xs) + ">>";
        }
        if (n.isTextual()) return n.textValue();
        return n.toString();
    }
}
