package cdna.trace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlaValueTest {
    @Test
    void readsWhatTlcPrints() throws Exception {
        String text = "( c1 :> [desc |-> [addr |-> 0, len |-> 0, seq |-> 2], moved |-> 0] @@\n"
                + "  c2 :> [desc |-> [addr |-> 1, len |-> 2, seq |-> -1], moved |-> 1] )";
        TlaValue v = TlaValue.parse(text);
        TlaValue.Fn f = assertInstanceOf(TlaValue.Fn.class, v);
        assertEquals(2, f.pairs().size());
        assertEquals("{\"c1\":{\"desc\":{\"addr\":0,\"len\":0,\"seq\":2},\"moved\":0},"
                + "\"c2\":{\"desc\":{\"addr\":1,\"len\":2,\"seq\":-1},\"moved\":1}}", v.toJson().toString());
        assertEquals(v, TlaValue.parse(v.toTla()));
    }

    @Test
    void setsSequencesStringsBooleans() throws Exception {
        TlaValue v = TlaValue.parse("<<{}, {[page |-> p1, off |-> 0]}, \"single-use\", TRUE, Hyp, <<>>>>");
        assertEquals("[{\"$set\":[]},{\"$set\":[{\"page\":\"p1\",\"off\":0}]},\"single-use\",true,\"Hyp\",[]]",
                v.toJson().toString());
        assertEquals(v, TlaValue.parse(v.toTla()));
    }

    @Test
    void singlePairFunction() throws Exception {
        TlaValue v = TlaValue.parse("(0 :> [addr |-> 1, len |-> 2, seq |-> 0])");
        assertEquals("{\"0\":{\"addr\":1,\"len\":2,\"seq\":0}}", v.toJson().toString());
    }

    @Test
    void malformedValuesSayWhereAndWhat() {
        for (String bad : new String[] {"<<1, 2", "[a |-> ]", "{1 2}", "\"open", "(a :> 1 @@ b)", "[ |-> 1]"}) {
            TlaValue.TlaValueException e = assertThrows(TlaValue.TlaValueException.class, () -> TlaValue.parse(bad), bad);
            assertTrue(e.getMessage().contains("at offset") && e.getMessage().contains("expected"), e.getMessage());
        }
    }
}
