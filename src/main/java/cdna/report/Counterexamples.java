package cdna.report;

import cdna.certify.Certificate;
import cdna.certify.ImplementationChecks;
import cdna.check.PropertyResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The counterexamples of a report: for each violated property, its shortest
 * trace drawn as a sequence diagram beside a table of the variables each step
 * changed, the Java replay's result, links to the trace files, and the
 * implementation's own finding.
 */
final class Counterexamples {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Counterexamples() {}

    static void section(StringBuilder h, Path root, Path dir, Certificate c) {
        h.append("<h2>Counterexamples</h2>\n");
        boolean any = false;
        for (Certificate.PropertyVerdict v : c.properties()) {
            h.append("<section id=\"p-").append(Html.esc(v.property())).append("\">");
            PropertyResult shortest = null;
            for (PropertyResult r : v.spec()) {
                if (r.verdict().equals("violated") && r.trace() != null
                        && (shortest == null || r.depth() != null && shortest.depth() != null && r.depth() < shortest.depth())) {
                    shortest = r;
                }
            }
            if (shortest == null) {
                if (v.verdict().equals("violated") && v.java() != null) {
                    any = true;
                    h.append("<h3>").append(Html.esc(v.property())).append(" <span class=\"v violated\">violated</span></h3>\n");
                    javaFinding(h, v.java());
                }
                h.append("</section>\n");
                continue;
            }
            any = true;
            h.append("<h3>").append(Html.esc(v.property())).append(" <span class=\"v violated\">violated</span> in ")
                    .append(Html.esc(shortest.model())).append("</h3>\n");
            JsonNode trace;
            try {
                trace = JSON.readTree(root.resolve(shortest.trace()).toFile());
            } catch (IOException e) {
                h.append("<p class=\"banner\">The trace ").append(Html.esc(shortest.trace())).append(" cannot be read: ")
                        .append(Html.esc(e.getMessage())).append("</p></section>\n");
                continue;
            }
            h.append("<p>").append(Html.esc(shortest.message())).append(". Files: ");
            link(h, root, dir, shortest.trace(), "JSON");
            if (shortest.itf() != null) link(h, root, dir, shortest.itf(), "ITF");
            if (shortest.tlcTrace() != null) link(h, root, dir, shortest.tlcTrace(), "as TLC printed it");
            h.append("</p>\n");
            String replay = shortest.javaReplay();
            h.append("<p class=\"replay ").append(replay != null && replay.startsWith("reproduced") ? "ok" : "bad")
                    .append("\"><b>Replayed on Java:</b> ").append(Html.esc(replay == null ? "not replayed" : replay)).append("</p>\n");
            h.append("<div class=\"trace\"><div class=\"diagram\">")
                    .append(SequenceDiagram.svg(trace, "iommu".equals(c.design().protection()), v.property()))
                    .append("</div>\n");
            stepTable(h, trace);
            h.append("</div>\n");
            if (v.java() != null) javaFinding(h, v.java());
            h.append("</section>\n");
        }
        if (!any) h.append("<p>None: no property is violated.</p>\n");
    }

    private static void javaFinding(StringBuilder h, ImplementationChecks.Finding f) {
        h.append("<p><b>The implementation</b> violates it in a ").append(Html.esc(f.source()))
                .append(f.runSeed() == null ? "" : " (run seed " + f.runSeed() + ")").append(": ")
                .append(Html.esc(String.valueOf(f.violation()))).append("</p>\n");
        if (!f.steps().isEmpty()) {
            List<String> steps = f.steps();
            h.append("<details><summary>").append(steps.size()).append(" steps (shrunk where short enough)</summary><pre>");
            int from = Math.max(0, steps.size() - 200);
            if (from > 0) h.append("... ").append(from).append(" earlier steps omitted ...\n");
            for (String s : steps.subList(from, steps.size())) h.append(Html.esc(s)).append('\n');
            h.append("</pre></details>\n");
        }
    }

    static void link(StringBuilder h, Path root, Path dir, String file, String label) {
        Path target = root.resolve(file).toAbsolutePath().normalize();
        String rel;
        try {
            rel = dir.toAbsolutePath().normalize().relativize(target).toString();
        } catch (IllegalArgumentException e) {
            rel = target.toString();
        }
        h.append("<a href=\"").append(Html.esc(rel)).append("\">").append(Html.esc(label)).append("</a> ");
    }

    /** One row per state: the step, and every variable it changed (old value struck through, new highlighted). */
    static void stepTable(StringBuilder h, JsonNode trace) {
        JsonNode states = trace.path("states");
        h.append("<table class=\"steps\"><thead><tr><th>#</th><th>step</th><th>variables it changed</th></tr></thead><tbody>\n");
        JsonNode prev = null;
        for (int i = 0; i < states.size(); i++) {
            JsonNode s = states.get(i);
            JsonNode vars = s.path("vars");
            boolean last = i == states.size() - 1 && !trace.path("loopsBackTo").isInt();
            h.append("<tr").append(last ? " class=\"last\"" : "").append("><td>").append(i + 1).append("</td><td><code>")
                    .append(Html.esc(s.path("action").asText() + (i == 0 ? "" : Html.params(s.path("params")))))
                    .append("</code></td><td>");
            if (prev == null) {
                h.append("<details><summary>initial state</summary>");
                for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    h.append("<div><b>").append(Html.esc(e.getKey())).append("</b> = ").append(Html.esc(Html.value(e.getValue())))
                            .append("</div>");
                }
                h.append("</details>");
            } else {
                boolean none = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode before = prev.get(e.getKey());
                    if (e.getValue().equals(before)) continue;
                    none = false;
                    h.append("<div class=\"chg\"><b>").append(Html.esc(e.getKey())).append("</b>: <del>")
                            .append(Html.esc(Html.value(before))).append("</del> → <ins>").append(Html.esc(Html.value(e.getValue())))
                            .append("</ins></div>");
                }
                if (none) h.append("<i>nothing (a stuttering step)</i>");
            }
            h.append("</td></tr>\n");
            prev = vars;
        }
        if (trace.path("loopsBackTo").isInt()) {
            int back = trace.path("loopsBackTo").asInt();
            JsonNode ls = trace.path("loopStep");
            h.append("<tr class=\"last\"><td>↺</td><td><code>")
                    .append(Html.esc(ls.isObject() ? ls.path("action").asText() + Html.params(ls.path("params")) : "(stutter)"))
                    .append("</code></td><td>").append(back == -1 ? "stays in this state forever"
                            : "back to state " + back + ", and around again forever").append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

}
