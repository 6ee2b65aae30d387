package cdna.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A counterexample drawn as an SVG sequence diagram: one lane for each guest,
 * the hypervisor, the NIC and (when the design or trace uses one) the IOMMU;
 * one arrow per step from the actor to what it acts on, labelled with the
 * action and its parameters; the last arrow (the step after which the
 * property fails) drawn in red, and a lasso's return marked.
 *
 * <p>Who acts on whom is a table of the specs' actions; an action not in it
 * (a new spec's) is drawn on the hypervisor's lane, so a trace is always drawn.
 */
public final class SequenceDiagram {
    static final String HYP = "Hypervisor";
    static final String NIC = "NIC";
    static final String IOMMU = "IOMMU";
    private static final int LANE_W = 150;
    private static final int LEFT = 70;
    private static final int TOP = 56;
    private static final int ROW = 40;

    private SequenceDiagram() {}

    /** One arrow: from lane, to lane, label. */
    record Arrow(String from, String to, String label) {}

    /**
     * @param trace     the JSON trace (as the checker writes it: states with action, params, vars)
     * @param iommu     whether to draw an IOMMU lane even if no step uses it
     * @param property  the property the trace violates (named at the last step)
     */
    public static String svg(JsonNode trace, boolean iommu, String property) {
        JsonNode states = trace.path("states");
        List<Arrow> arrows = new ArrayList<>();
        TreeSet<String> guests = new TreeSet<>();
        for (JsonNode s : states) collectGuests(s.path("vars").path("ctxOwner"), guests);
        boolean usesIommu = iommu;
        for (int i = 1; i < states.size(); i++) {
            JsonNode pre = states.get(i - 1).path("vars");
            Arrow a = arrow(states.get(i).path("action").asText(), states.get(i).path("params"), pre, iommu);
            arrows.add(a);
            for (String lane : List.of(a.from(), a.to())) {
                if (lane.equals(IOMMU)) usesIommu = true;
                else if (!lane.equals(HYP) && !lane.equals(NIC)) guests.add(lane);
            }
        }
        JsonNode loop = trace.path("loopStep");
        Integer backTo = trace.path("loopsBackTo").isInt() ? trace.path("loopsBackTo").asInt() : null;
        if (backTo != null && loop.isObject() && states.size() > 0) {
            arrows.add(arrow(loop.path("action").asText(), loop.path("params"), states.get(states.size() - 1).path("vars"), iommu));
        }
        List<String> lanes = new ArrayList<>(guests);
        lanes.add(HYP);
        lanes.add(NIC);
        if (usesIommu) lanes.add(IOMMU);

        int width = LEFT + lanes.size() * LANE_W + 40;
        int rows = Math.max(1, arrows.size());
        int height = TOP + 30 + rows * ROW + 50;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"seq\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"sequence diagram of a counterexample to %s\">%n",
                width, height, width, height, Html.esc(property)));
        sb.append("<defs><marker id=\"ah\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#37474f\"/></marker>"
                + "<marker id=\"ahbad\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker></defs>\n");
        int bottom = TOP + 30 + rows * ROW + 10;
        for (int i = 0; i < lanes.size(); i++) {
            int x = laneX(i);
            String fill = lanes.get(i).equals(HYP) ? "#5e35b1" : lanes.get(i).equals(NIC) ? "#00838f"
                    : lanes.get(i).equals(IOMMU) ? "#ef6c00" : "#1565c0";
            sb.append(String.format(Locale.ROOT, "<rect class=\"lane\" x=\"%d\" y=\"10\" width=\"%d\" height=\"30\" rx=\"5\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"30\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                    x - 60, 120, fill, x, Html.esc(lanes.get(i))));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"40\" x2=\"%d\" y2=\"%d\" stroke=\"#b0bec5\" stroke-dasharray=\"4 4\"/>%n",
                    x, x, bottom));
        }
        int real = states.size() - 1;
        for (int k = 0; k < arrows.size(); k++) {
            Arrow a = arrows.get(k);
            boolean last = k == real - 1 && (backTo == null);
            boolean isLoop = k >= real;
            String color = last ? "#c62828" : isLoop ? "#6a1b9a" : "#37474f";
            String marker = last ? "ahbad" : "ah";
            int y = TOP + 30 + k * ROW + 20;
            int x1 = laneX(lanes.indexOf(a.from()));
            int x2 = laneX(lanes.indexOf(a.to()));
            sb.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" font-size=\"12\" fill=\"#546e7a\">%s</text>%n", y + 4,
                    isLoop ? "↺" : String.valueOf(k + 2)));
            if (x1 == x2) {
                sb.append(String.format(Locale.ROOT, "<path d=\"M%d,%d h28 v14 h-26\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" "
                        + "marker-end=\"url(#%s)\"/>%n", x1, y - 7, color, last ? "2.5" : "1.5", marker));
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>%n",
                        x1 + 34, y + 4, color, Html.esc(a.label())));
            } else {
                sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\" "
                        + "marker-end=\"url(#%s)\"/>%n", x1, y, x2 + (x2 > x1 ? -3 : 3), y, color, last ? "2.5" : "1.5", marker));
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"%s\">%s</text>%n",
                        (x1 + x2) / 2, y - 6, color, Html.esc(a.label())));
            }
        }
        int noteY = TOP + 30 + rows * ROW + 34;
        String note = backTo != null ? (backTo == -1 ? "the behaviour stutters here forever: " + property + " is violated"
                : "↺ returns to state " + backTo + " and repeats forever: " + property + " is violated")
                : property + " is violated after step " + states.size();
        sb.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" font-size=\"13\" font-weight=\"bold\" fill=\"#c62828\">%s</text>%n",
                noteY, Html.esc(note)));
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static int laneX(int i) {
        return LEFT + i * LANE_W + LANE_W / 2;
    }

    private static void collectGuests(JsonNode ctxOwner, TreeSet<String> out) {
        if (ctxOwner.isObject()) {
            for (Iterator<JsonNode> it = ctxOwner.elements(); it.hasNext(); ) {
                JsonNode g = it.next();
                if (g.isTextual()) out.add(g.asText());
            }
        }
    }

    /** Who acts on whom in one step; {@code pre} is the state the step starts from. */
    static Arrow arrow(String action, JsonNode params, JsonNode pre, boolean iommu) {
        String label = action + Html.params(params);
        String c = params.path("c").asText(null);
        String owner = c == null ? null : pre.path("ctxOwner").path(c).asText(null);
        String g = params.path("g").asText(null);
        String actor = owner != null ? owner : HYP;
        return switch (action) {
            case "AllocatePage" -> new Arrow(HYP, g, label);
            case "FreePage" -> new Arrow(g, HYP, label);
            case "TransferPage" -> new Arrow(g, params.path("h").asText(HYP), label);
            case "PostDescriptor", "ValidateBuffer" -> new Arrow(actor, HYP, label);
            case "RingDoorbell" -> new Arrow(actor, NIC, label);
            case "NicFetch", "NicRaise" -> new Arrow(NIC, HYP, label);
            case "NicDma" -> new Arrow(NIC, actor, label);
            case "MapBuffer", "UnmapBuffer" -> new Arrow(actor, IOMMU, label);
            case "FlushIotlb" -> new Arrow(HYP, IOMMU, label);
            case "UnmapContext" -> new Arrow(HYP, iommu ? IOMMU : NIC, label);
            case "StopContext", "QuiesceContext" -> new Arrow(HYP, NIC, label);
            case "AssignContext" -> new Arrow(HYP, g, label);
            case "DeliverVirq" -> new Arrow(HYP, owedOrOwner(pre, c, actor), label);
            default -> g != null ? new Arrow(g, HYP, label) : new Arrow(HYP, HYP, label);
        };
    }

    private static String owedOrOwner(JsonNode pre, String c, String owner) {
        JsonNode owed = pre.path("owedTo").path(c);
        return owed.isTextual() && !owed.asText().equals("NoGuest") && !owed.asText().isEmpty() ? owed.asText() : owner;
    }
}
