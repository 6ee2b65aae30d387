---------------------------- MODULE MCProvisioning ----------------------------
(* Trace labelling and reachability witnesses for checking Provisioning.     *)
EXTENDS Provisioning, TLC

\* No symmetry: contexts differ in their rates, and NoStarvation is liveness.

(* The contexts' rates of each model (TLC's cfg files hold no tuples; a cfg *)
(* substitutes these for Rate, Burst and MinRate: Rate <- SmallRate).       *)

\* Context 1: rate 1, no burst beyond it; context 2: fast (rate 2); context 3: slow with a burst of 2; each promised 1.
SmallRate == <<1, 2, 1>>
SmallBurst == <<1, 2, 2>>
SmallMinRate == <<1, 1, 1>>

\* Two contexts, one slow, one fast, both promised 1 (the liveness models).
PairRate == <<1, 2>>
PairBurst == <<1, 2>>
PairMinRate == <<1, 1>>

\* Standard liveness model, on a link of 3: context 1 slow without a burst, context 2 greedy (rate 3) and promised 2, context 3 promised 1.
TrioRate == <<1, 3, 2>>
TrioBurst == <<1, 3, 2>>
TrioMinRate == <<1, 2, 1>>

\* Standard models, on a link of 3: the trio and a greedy context 4 (rate 3) promised nothing.
StandardRate == <<1, 2, 2, 3>>
StandardBurst == <<1, 3, 2, 3>>
StandardMinRate == <<1, 2, 1, 0>>

\* Every action instance of Next, by name and parameters (for trace labelling).
TraceActions ==
  [Assign |-> [c : Ctx],
   Release |-> [c : Ctx],
   Send |-> [c : Ctx],
   Tick |-> [none : {0}]]

\* Performs the action instance x of the action called name.
Fire(name, x) ==
  CASE name = "Assign" -> Assign(x.c)
    [] name = "Release" -> Release(x.c)
    [] name = "Send" -> Send(x.c)
    [] name = "Tick" -> Tick

\* Next, rebuilt from the labelled instances (checked against Next by a test).
FiredNext == \E name \in DOMAIN TraceActions : \E x \in TraceActions[name] : Fire(name, x)
FiredSpec == Init /\ [][FiredNext]_vars

(* Reachability witnesses (docs/vacuity.md): situations a safe design must *)
(* still reach, or its "holds" says nothing.                              *)

\* A context sends more than its rate in one tick: it spends a saved burst, where a cap must hold.
WitnessBurstSpent ==
  \E c \in Ctx : sentNow[c] > Rate[c]

\* Two backlogged contexts compete for a full link: the arbiter's choice decides who gets what.
WitnessContention ==
  /\ SumOver(sentNow, Ctx) = LinkRate
  /\ \E c, d \in backlog : c # d /\ MinRate[c] > 0 /\ MinRate[d] > 0

\* A context was backlogged throughout a whole window while another one also sent: the guarantee is tested under load.
WitnessGuaranteedWindow ==
  \E c, d \in Ctx : c # d /\ MinRate[c] > 0 /\ (\A i \in 1..W : histCov[c][i]) /\ SumSeq(histSent[d]) > 0

\* A context is unassigned whose minimum would not fit beside those already assigned: admission must refuse it.
WitnessAdmissionFull ==
  \E c \in Ctx \ assigned : SumOver(MinRate, assigned) + MinRate[c] > LinkRate /\ assigned # {}
=============================================================================
