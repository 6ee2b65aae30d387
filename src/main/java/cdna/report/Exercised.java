package cdna.report;

import cdna.certify.Certificate;
import cdna.check.Coverage;
import cdna.check.PropertyResult;
import cdna.check.WitnessResult;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each model run exercised, the evidence that its "holds" is not
 * vacuous: how often every action of the spec fired (TLC's coverage), and
 * each property's reachability witnesses with the length of the shortest
 * trace to them.  See docs/vacuity.md for how to read it.
 */
final class Exercised {
    private Exercised() {}

    static void section(StringBuilder h, Path root, Path dir, Certificate c) {
        h.append("<h2 id=\"exercised\">What the models exercised</h2>\n<p class=\"meta\">A property holds only if the run "
                + "that explored the model fired every action (bar those the design switches off) and reached every "
                + "witness of it: a state in which what the property guards against is about to happen. Otherwise it "
                + "is <span class=\"v vacuous\">vacuous</span>.</p>\n");
        boolean any = false;
        for (Certificate.ModelRun m : c.models()) {
            Coverage cov = null;
            boolean complete = false;
            Map<String, WitnessResult> ws = new LinkedHashMap<>();
            Map<String, String> backs = new LinkedHashMap<>();
            for (PropertyResult r : m.results()) {
                // a run that explored everything says more than one stopped by a counterexample
                boolean whole = !r.verdict().equals("violated");
                if (r.coverage() != null && (cov == null || whole && !complete)) {
                    cov = r.coverage();
                    complete = whole;
                }
                for (WitnessResult w : r.witnesses()) {
                    ws.putIfAbsent(w.name(), w);
                    backs.merge(w.name(), r.property(), (a, b) -> a + ", " + b);
                }
            }
            if (cov == null && ws.isEmpty()) continue;
            any = true;
            h.append("<h3>").append(Html.esc(m.model())).append(" <small>").append(Html.esc(m.bounds())).append("</small></h3>\n");
            if (cov != null && !complete) {
                h.append("<p class=\"meta\">Every property of this model is violated: the counts are those of the search "
                        + "up to the first counterexample.</p>\n");
            }
            h.append("<div class=\"trace\">");
            if (cov != null) coverage(h, cov, complete);
            if (!ws.isEmpty()) witnesses(h, root, dir, ws, backs);
            h.append("</div>\n");
        }
        if (!any) h.append("<p>No model explored its state space completely (no run held), so there is no coverage to show.</p>\n");
    }

    private static void coverage(StringBuilder h, Coverage cov, boolean complete) {
        h.append("<table class=\"coverage\"><thead><tr><th>action</th><th>taken</th><th>new states</th></tr></thead><tbody>\n");
        List<String> dead = cov.dead();
        for (Coverage.Action a : cov.actions()) {
            boolean idle = a.taken() == 0 && !a.name().equals("Init");
            // only a search that ran to the end can show that an action never fires
            boolean blamed = complete && dead.contains(a.name());
            String why = cov.allowed().get(a.name());
            h.append("<tr").append(blamed ? " class=\"dead\"" : idle ? " class=\"idle\"" : "").append(" title=\"")
                    .append(Html.esc(a.location())).append("\"><td>").append(Html.esc(a.name()))
                    .append(blamed ? " <b>never fired</b>" : !idle ? "" : why != null
                            ? " <small>never fired (allowed: " + Html.esc(why) + ")</small>" : " <small>not fired yet</small>")
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d", a.taken()))
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d", a.found())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void witnesses(StringBuilder h, Path root, Path dir, Map<String, WitnessResult> ws, Map<String, String> backs) {
        h.append("<table class=\"witnesses\"><thead><tr><th>witness</th><th>backs</th><th>reached</th></tr></thead><tbody>\n");
        for (WitnessResult w : ws.values()) {
            h.append("<tr><td><b>").append(Html.esc(w.name())).append("</b><br><small>").append(Html.esc(w.about()))
                    .append("</small></td><td>").append(Html.esc(backs.get(w.name()))).append("</td><td class=\"")
                    .append(w.reached() ? "" : "v vacuous").append("\">");
            if (w.reached()) {
                h.append("in ").append(w.depth()).append(" states ");
                if (w.trace() != null) Counterexamples.link(h, root, dir, w.trace(), "trace");
            } else {
                h.append(Html.esc(w.status())).append(": ").append(Html.esc(w.message()));
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }
}
