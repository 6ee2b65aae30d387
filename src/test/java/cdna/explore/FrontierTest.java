package cdna.explore;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Pareto frontier and the pruning decisions on small hand-made sets of results. */
class FrontierTest {
    static Frontier.Point p(String name, double cost, String... kept) {
        return new Frontier.Point(name, cost, Set.of(kept));
    }

    static final Frontier.Point NOTHING = p("nothing", 0.5);
    static final Frontier.Point CHEAP = p("cheap", 1, "P");
    static final Frontier.Point CHEAP_TWIN = p("cheap-twin", 1, "P");
    static final Frontier.Point SAFE = p("safe", 2, "P", "Q");
    static final Frontier.Point PRICIER = p("pricier", 2, "P");
    static final Frontier.Point WORSE = p("worse", 3, "P", "Q");
    static final Frontier.Point OTHER = p("other", 1.5, "Q");
    static final List<Frontier.Point> ALL = List.of(WORSE, SAFE, PRICIER, CHEAP, CHEAP_TWIN, NOTHING, OTHER);

    @Test
    void dominanceIsNoWorseInBothAndBetterInOne() {
        assertTrue(Frontier.dominates(CHEAP, PRICIER), "cheaper, same properties");
        assertTrue(Frontier.dominates(SAFE, PRICIER), "same cost, more properties");
        assertTrue(Frontier.dominates(SAFE, WORSE), "cheaper, same properties");
        assertFalse(Frontier.dominates(CHEAP, CHEAP_TWIN), "equal: neither dominates");
        assertFalse(Frontier.dominates(CHEAP, SAFE), "cheaper but keeps less");
        assertFalse(Frontier.dominates(CHEAP, OTHER), "cheaper but keeps a different set");
        assertFalse(Frontier.dominates(SAFE, CHEAP), "keeps more but costs more");
    }

    @Test
    void theFrontierIsWhatNothingDominatesCheapestFirst() {
        List<String> names = Frontier.of(ALL).stream().map(Frontier.Point::design).toList();
        assertEquals(List.of("nothing", "cheap", "cheap-twin", "other", "safe"), names);
    }

    @Test
    void theCheapestDesignKeepingASet() {
        assertSame(SAFE, Frontier.cheapestKeeping(ALL, Set.of("P", "Q")));
        assertSame(OTHER, Frontier.cheapestKeeping(ALL, Set.of("Q")));
        assertSame(CHEAP, Frontier.cheapestKeeping(ALL, Set.of("P")), "ties go to the name first in order");
        assertSame(NOTHING, Frontier.cheapestKeeping(ALL, Set.of()));
        assertNull(Frontier.cheapestKeeping(ALL, Set.of("R")));
    }

    @Test
    void aDesignIsNotCertifiedAtStandardBoundsWhenItCannotReachTheFrontier() {
        // certified at standard bounds so far: cheap (keeps P) and safe (keeps P and Q)
        List<Frontier.Point> certified = List.of(CHEAP, SAFE);
        // costs 2.5 and small bounds broke Q: even if standard bounds keep P, cheap does as well for less
        assertSame(CHEAP, Exploration.dominator(p("broke-q", 2.5, "P"), certified));
        // costs 3 and small bounds broke nothing: safe keeps as much for less
        assertSame(SAFE, Exploration.dominator(p("dear", 3, "P", "Q"), certified));
        // costs 1.5 and small bounds broke nothing: it could beat safe, so it is certified
        assertNull(Exploration.dominator(p("promising", 1.5, "P", "Q"), certified));
        // as cheap as cheap and keeps as much: a tie is not dominance, so it is certified
        assertNull(Exploration.dominator(p("tie", 1, "P"), certified));
        // keeps what nobody certified keeps: certified
        assertNull(Exploration.dominator(p("different", 9, "R"), certified));
    }
}
