------------------------------- MODULE Ticks -------------------------------
(* Fixtures for the runner: a counter that stops at Limit (and so          *)
(* deadlocks unless it may wrap), with Limit defined in TicksDefs so a     *)
(* cfg can override it in that module.                                     *)
EXTENDS Naturals, TicksDefs

\* TRUE: after Limit the counter starts again at 0, so it never deadlocks.
CONSTANT Wrap

\* The counter.
VARIABLE x

Init == x = 0
Next == \/ x < Limit /\ x' = x + 1
        \/ Wrap /\ x = Limit /\ x' = 0
Spec == Init /\ [][Next]_x

Two == 2
Three == 3
Small == x <= 2
=============================================================================
