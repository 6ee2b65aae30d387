package cdna.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/** Escaping, and TLA+-like text for the JSON values of a trace. */
final class Html {
    private Html() {}

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** An action's parameters as {@code (c1, [addr=0 len=3])}; empty for none. */
    static String params(JsonNode params) {
        if (params == null || !params.isObject() || params.isEmpty()) return "()";
        StringBuilder sb = new StringBuilder("(");
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("none")) continue;
            if (!first) sb.append(", ");
            first = false;
            JsonNode v = e.getValue();
            if (v.isObject() && !v.has("$set")) {
                sb.append('[');
                boolean f2 = true;
                for (Iterator<Map.Entry<String, JsonNode>> i2 = v.fields(); i2.hasNext(); ) {
                    Map.Entry<String, JsonNode> x = i2.next();
                    if (!f2) sb.append(' ');
                    f2 = false;
                    sb.append(x.getKey()).append('=').append(value(x.getValue()));
                }
                sb.append(']');
            } else {
                sb.append(value(v));
            }
        }
        return sb.append(')').toString();
    }

    /** A JSON trace value as TLA+ text: records [k |-> v], sequences &lt;&lt;..&gt;&gt;, sets {..}. */
    static String value(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) return v.asText();
        if (v.isBoolean()) return v.asBoolean() ? "TRUE" : "FALSE";
        if (v.isNumber()) return v.asText();
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("<<");
            for (int i = 0; i < v.size(); i++) sb.append(i > 0 ? ", " : "").append(value(v.get(i)));
            return sb.append(">>").toString();
        }
        if (v.has("$set") && v.size() == 1) {
            StringBuilder sb = new StringBuilder("{");
            JsonNode a = v.get("$set");
            for (int i = 0; i < a.size(); i++) sb.append(i > 0 ? ", " : "").append(value(a.get(i)));
            return sb.append("}").toString();
        }
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!first) sb.append(", ");
            first = false;
            sb.append(e.getKey()).append(" |-> ").append(value(e.getValue()));
        }
        return sb.append("]").toString();
    }
}
