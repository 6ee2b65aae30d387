---------------------------- MODULE PcalStale ----------------------------
EXTENDS Naturals

(* --algorithm Counter
variable x = 0;
begin
  Loop: while x < 3 do
    x := x + 2;
  end while;
end algorithm; *)
\* BEGIN TRANSLATION (chksum(pcal) = "1d2e3f40" /\ chksum(tla) = "a1b2c3d4")
VARIABLES x, pc

vars == << x, pc >>

Init == /\ x = 0
        /\ pc = "Loop"

Loop == /\ pc = "Loop"
        /\ IF x < 3
              THEN /\ x' = x + 1
                   /\ pc' = "Loop"
              ELSE /\ pc' = "Done"
                   /\ x' = x

Terminating == pc = "Done" /\ UNCHANGED vars

Next == Loop
           \/ Terminating

Spec == Init /\ [][Next]_vars

Termination == <>(pc = "Done")

\* END TRANSLATION

Small == x <= 3
=============================================================================
