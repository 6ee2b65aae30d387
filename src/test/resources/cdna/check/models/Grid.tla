------------------------------- MODULE Grid --------------------------------
(* A fixture for distributed TLC: three counters on a cube of side N+1,    *)
(* (N+1)^3 states, big enough that a worker can be killed mid-run.  Safe   *)
(* fails once the counters sum to Bad.                                     *)
EXTENDS Naturals

\* The largest value of each counter.
CONSTANT N
\* The sum Safe forbids (above 3 * N: never reached).
CONSTANT Bad

\* The three counters.
VARIABLES x, y, z

Init == x = 0 /\ y = 0 /\ z = 0
Next == \/ x < N /\ x' = x + 1 /\ UNCHANGED <<y, z>>
        \/ y < N /\ y' = y + 1 /\ UNCHANGED <<x, z>>
        \/ z < N /\ z' = z + 1 /\ UNCHANGED <<x, y>>
        \/ x > 0 /\ x' = x - 1 /\ UNCHANGED <<y, z>>
Spec == Init /\ [][Next]_<<x, y, z>>

Safe == x + y + z # Bad
=============================================================================
