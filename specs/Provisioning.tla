---------------------------- MODULE Provisioning ----------------------------
(***************************************************************************)
(* Network resource provisioning for the contexts of one SR-IOV-style NIC. *)
(* Real NICs expose, per function, a maximum and a minimum transmit rate,  *)
(* and promise nothing else; this spec says what those two numbers must   *)
(* mean and which hypervisor and NIC mechanisms keep them:                 *)
(*   a token bucket per context: Rate tokens per tick, at most Burst held  *)
(*     (the maximum rate, with a burst allowance);                         *)
(*   a transmit arbiter that picks, slot by slot, which backlogged context *)
(*     sends next, LinkRate slots per tick (the link);                     *)
(*   a minimum rate per context, which the arbiter must serve first;       *)
(*   admission by the hypervisor: a context is assigned only if the        *)
(*     minimums of all assigned contexts still fit in the link.            *)
(* Time is an explicit Tick.  Rates are whole packets per tick.            *)
(*                                                                         *)
(* Reductions (argued here, measured in docs/provisioning.md):             *)
(*  - no absolute time: the properties speak of windows of W ticks, so a   *)
(*    state keeps only the last W completed ticks (histSent, histCov) and  *)
(*    the current one (sentNow, covNow); the state space is finite without *)
(*    a tick counter, and a lasso over it is a real infinite behaviour.    *)
(*  - a backlogged context has packets at every slot of the tick (a greedy *)
(*    source); backlog changes only at a Tick.  A context with fewer       *)
(*    packets sends less and needs no guarantee, so nothing is lost: the   *)
(*    guarantee is stated for the ticks a context is backlogged throughout.*)
(*  - contexts are assigned and released only before the first send of a  *)
(*    tick (the arbiter is reconfigured between scheduling periods, as     *)
(*    hardware rate registers are); sends already made in a tick cannot be *)
(*    re-attributed by a mid-tick reassignment.                            *)
(*  - the bucket belongs to the function, not the tenant: reassignment     *)
(*    does not refill it, so releasing and re-taking a context buys no     *)
(*    fresh burst.                                                         *)
(*  - no symmetry: contexts differ in their rates, and NoStarvation is a   *)
(*    liveness property (TLC's symmetry is unsound for it).                *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS
  \* The NIC's contexts (virtual functions): 1..n.
  Ctx,
  \* Packets the link can send per tick.
  LinkRate,
  \* Rate[c]: the maximum rate, tokens added to c's bucket per tick.
  Rate,
  \* Burst[c]: the bucket's depth, the most tokens c may hold.
  Burst,
  \* MinRate[c]: the minimum rate c is promised while backlogged, packets per tick.
  MinRate,
  \* W: the length in ticks of the windows RateCap and MinGuarantee speak of.
  W,
  \* The width of the bucket's counter: it saturates there whatever the design.
  CounterMax,
  \* Design switch: a refill stops at Burst (FALSE: only the counter's width stops it).
  RefillCapped,
  \* Design switch: the arbiter serves contexts below their minimum first.
  ArbiterHonoursMinimum,
  \* Design switch: admission adds the new minimum to those of the contexts already assigned.
  AdmissionCountsAssigned

ASSUME Ctx \subseteq Nat /\ Ctx # {}
ASSUME LinkRate \in Nat \ {0} /\ W \in Nat \ {0} /\ CounterMax \in Nat
ASSUME \A c \in Ctx : /\ MinRate[c] <= Rate[c] /\ Rate[c] <= Burst[c] /\ Burst[c] <= CounterMax
ASSUME RefillCapped \in BOOLEAN /\ ArbiterHonoursMinimum \in BOOLEAN /\ AdmissionCountsAssigned \in BOOLEAN

VARIABLES
  \* assigned: the contexts the hypervisor has given to guests.
  assigned,
  \* tokens[c]: the tokens in c's bucket.
  tokens,
  \* backlog: the contexts with packets at every slot of the current tick.
  backlog,
  \* sentNow[c]: packets c has sent in the current tick.
  sentNow,
  \* covNow[c]: c has been assigned and backlogged since the current tick began.
  covNow,
  \* histSent[c][i]: packets c sent in the i-th of the last W completed ticks (W-th: the latest).
  histSent,
  \* histCov[c][i]: c was assigned and backlogged throughout that tick.
  histCov

vars == <<assigned, tokens, backlog, sentNow, covNow, histSent, histCov>>

\* The sum of f over the set S.
RECURSIVE SumOver(_, _)
SumOver(f, S) == IF S = {} THEN 0 ELSE LET x == CHOOSE x \in S : TRUE IN f[x] + SumOver(f, S \ {x})

\* The sum of the sequence s.
RECURSIVE SumSeq(_)
SumSeq(s) == IF s = <<>> THEN 0 ELSE Head(s) + SumSeq(Tail(s))

\* Slots of the link already used in this tick.
Used == SumOver(sentNow, Ctx)

\* c can send now: assigned, backlogged, holding a token.
Eligible(c) == c \in assigned /\ c \in backlog /\ tokens[c] > 0

\* c has not yet had its minimum in this tick.
BelowMin(c) == sentNow[c] < MinRate[c]

TypeOK ==
  /\ assigned \subseteq Ctx
  /\ tokens \in [Ctx -> 0..CounterMax]
  /\ backlog \subseteq assigned
  /\ sentNow \in [Ctx -> 0..LinkRate]
  /\ covNow \in [Ctx -> BOOLEAN]
  /\ histSent \in [Ctx -> [1..W -> 0..LinkRate]]
  /\ histCov \in [Ctx -> [1..W -> BOOLEAN]]

-----------------------------------------------------------------------------
(* Properties.                                                              *)

\* Over any W consecutive ticks (the last W-1 completed and the current one) c sends at most Rate[c] * W + Burst[c].
RateCap ==
  \A c \in Ctx : SumSeq(Tail(histSent[c])) + sentNow[c] <= Rate[c] * W + Burst[c]

\* A context assigned and backlogged throughout the last W completed ticks sent at least MinRate[c] * W in them.
MinGuarantee ==
  \A c \in Ctx : (\A i \in 1..W : histCov[c][i]) => SumSeq(histSent[c]) >= MinRate[c] * W

\* The minimums of the assigned contexts fit in the link.
AdmissionSound == SumOver(MinRate, assigned) <= LinkRate

\* A context with a minimum that stays backlogged from some time on sends again and again.
NoStarvation ==
  \A c \in Ctx : MinRate[c] > 0 => (<>[](c \in backlog) => []<>(sentNow[c] > 0))

-----------------------------------------------------------------------------
Init ==
  /\ assigned = {}
  /\ tokens = Burst
  /\ backlog = {}
  /\ sentNow = [c \in Ctx |-> 0]
  /\ covNow = [c \in Ctx |-> FALSE]
  /\ histSent = [c \in Ctx |-> [i \in 1..W |-> 0]]
  /\ histCov = [c \in Ctx |-> [i \in 1..W |-> FALSE]]

(* The hypervisor.                                                        *)

\* The hypervisor assigns c to a guest if admission lets it; the arbiter takes it up before the first send of a tick.
Assign(c) ==
  /\ c \notin assigned
  /\ Used = 0
  /\ IF AdmissionCountsAssigned
       THEN SumOver(MinRate, assigned) + MinRate[c] <= LinkRate
       ELSE MinRate[c] <= LinkRate
  /\ assigned' = assigned \cup {c}
  /\ UNCHANGED <<tokens, backlog, sentNow, covNow, histSent, histCov>>

\* The hypervisor takes c back (its guest left), before the first send of a tick.
Release(c) ==
  /\ c \in assigned
  /\ Used = 0
  /\ assigned' = assigned \ {c}
  /\ backlog' = backlog \ {c}
  /\ covNow' = [covNow EXCEPT ![c] = FALSE]
  /\ UNCHANGED <<tokens, sentNow, histSent, histCov>>

(* The NIC.                                                               *)

\* The transmit arbiter gives the next slot of the link to c, which spends a token.
Send(c) ==
  /\ Used < LinkRate
  /\ Eligible(c)
  /\ ArbiterHonoursMinimum => (BelowMin(c) \/ ~\E d \in Ctx : Eligible(d) /\ BelowMin(d))
  /\ tokens' = [tokens EXCEPT ![c] = @ - 1]
  /\ sentNow' = [sentNow EXCEPT ![c] = @ + 1]
  /\ UNCHANGED <<assigned, backlog, covNow, histSent, histCov>>

\* Time advances, once the link is full or nobody can send (the arbiter is work-conserving):
\* the tick is recorded in the window, every bucket is refilled, and the guests choose who is
\* backlogged in the next tick.
Tick ==
  /\ Used = LinkRate \/ ~\E c \in Ctx : Eligible(c)
  /\ tokens' = [c \in Ctx |-> LET t == tokens[c] + Rate[c]
                              IN IF RefillCapped /\ t > Burst[c] THEN Burst[c]
                                 ELSE IF t > CounterMax THEN CounterMax ELSE t]
  /\ histSent' = [c \in Ctx |-> Append(Tail(histSent[c]), sentNow[c])]
  /\ histCov' = [c \in Ctx |-> Append(Tail(histCov[c]), covNow[c])]
  /\ sentNow' = [c \in Ctx |-> 0]
  /\ \E b \in SUBSET assigned :
       /\ backlog' = b
       /\ covNow' = [c \in Ctx |-> c \in b]
  /\ UNCHANGED assigned

-----------------------------------------------------------------------------
Next ==
  \/ \E c \in Ctx : Assign(c) \/ Release(c) \/ Send(c)
  \/ Tick

Spec == Init /\ [][Next]_vars

\* Time advances and the arbiter sends while it can; the hypervisor and the guests are not fair.
Fairness == WF_vars(Tick) /\ WF_vars(\E c \in Ctx : Send(c))
FairSpec == Spec /\ Fairness

=============================================================================
