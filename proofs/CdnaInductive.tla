--------------------------- MODULE CdnaInductive ---------------------------
(***************************************************************************)
(* An inductive invariant for InterGuestIsolation of the CDNA design       *)
(* (validate every page, pin, sequence numbers).  TLC checks, over every   *)
(* type-correct state at small bounds:                                     *)
(*   Init => IndInv                         (CdnaInductiveInit.cfg)        *)
(*   IndInv /\ Next => IndInv'              (CdnaInductiveStep.cfg)        *)
(*   IndInv => InterGuestIsolation          (CdnaInductiveStep.cfg)        *)
(* bin/cdna prove proves the same conjuncts, under the same names, for     *)
(* every size (cdna.proof.CdnaEncoding; docs/proofs.md).                   *)
(* The step check starts from *every* state satisfying TypeOK /\ IndInv,   *)
(* reachable or not, and takes one step (the level constraint), so it is a *)
(* proof of inductiveness at those bounds, not a reachability check.       *)
(***************************************************************************)
EXTENDS CdnaProtection, TLC

\* Every assignment of contexts to guests is an initial one.
AllCtxOwners == [Contexts -> Guests]

\* Window, SlotsTagged, OutstandingInSlots and EngineOnExpected are CdnaProtection's:
\* they are the premise of its View, checked in every model that uses it (ViewPremise).

\* The heart of it: every page of every outstanding descriptor belongs to the context's guest.
OutstandingOwned(c) ==
  \A d \in OutstandingDescs(c) : \A p \in PagesOf(d) : owner[p] = ctxOwner[c]

\* A hypercall checked and not yet written (HypercallWindow) covers only its guest's pages (they are
\* pinned as they are checked) and has a free slot waiting; with the atomic hypercall there is none.
CallOk(c) ==
  IF HypercallWindow
    THEN call[c] # NoCall => /\ InFlight(c) < RingSize
                            /\ \A p \in PagesOf(call[c]) : owner[p] = ctxOwner[c]
    ELSE call[c] = NoCall

\* The proof is for counted pins: no pinned bits are kept.
BitsOk == pinBit = [p \in Pages |-> FALSE]

\* Without the modelled doorbell, the doorbell stays 0.
DoorbellUnmodelled == ~ModelDoorbell => doorbell = [c \in Contexts |-> 0]

\* The conjuncts of IndInv left out, by name: weakening the invariant shows which
\* action needs each conjunct (bin/cdna prove --without; the small-bounds search).
CONSTANT Dropped

\* The conjuncts of IndInv, named as the all-sizes proof names them (cdna.proof.CdnaEncoding).
Conjuncts == {"BitsOk", "CallOk", "Window", "SlotsTagged", "OutstandingInSlots",
              "OutstandingOwned", "EngineOnExpected", "DoorbellUnmodelled"}

\* Conjunct n is part of the invariant checked.
Kept(n) == n \notin Dropped

\* Conjunct n of IndInv, for every context: an INVARIANT per conjunct lets TLC name the one a step breaks.
Conjunct(n) ==
  CASE n = "BitsOk"             -> BitsOk
    [] n = "CallOk"             -> \A c \in Contexts : CallOk(c)
    [] n = "Window"             -> \A c \in Contexts : Window(c)
    [] n = "SlotsTagged"        -> \A c \in Contexts : SlotsTagged(c)
    [] n = "OutstandingInSlots" -> \A c \in Contexts : OutstandingInSlots(c)
    [] n = "OutstandingOwned"   -> \A c \in Contexts : OutstandingOwned(c)
    [] n = "EngineOnExpected"   -> \A c \in Contexts : EngineOnExpected(c)
    [] n = "DoorbellUnmodelled" -> DoorbellUnmodelled

\* The proof is for counted pins (CountPins), with every kept conjunct.  Without
\* SlotsTagged (Dropped = {"SlotsTagged"}: bin/cdna prove --without SlotsTagged) a stale slot
\* may carry the tag the NIC expects next, so the NIC fetches a descriptor nobody
\* validated: the candidate still implies InterGuestIsolation in every state it
\* admits, but it is not inductive.
IndInv == CountPins /\ \A n \in Conjuncts \ Dropped : Conjunct(n)

\* Every type-correct state satisfying IndInv.  Conjuncts are ordered so TLC
\* prunes early: each filter follows the variables it reads.  A filter applies
\* only while its conjunct is kept, so a weakened IndInv really starts from
\* more states.
IndInit ==
  /\ owner \in [Pages -> Owners]
  /\ ctxOwner \in [Contexts -> Guests]
  /\ prod \in [Contexts -> 0..SeqMod-1]
  /\ reaped \in [Contexts -> 0..SeqMod-1]
  /\ nicNext \in [Contexts -> 0..SeqMod-1]
  /\ Kept("Window") => Conjunct("Window")
  /\ call \in [Contexts -> Buffers \cup {NoCall}]
  /\ Kept("CallOk") => Conjunct("CallOk")
  /\ pinBit \in IF Kept("BitsOk") THEN {[p \in Pages |-> FALSE]} ELSE [Pages -> BOOLEAN]
  /\ doorbell \in [Contexts -> 0..SeqMod-1]
  /\ Kept("DoorbellUnmodelled") => DoorbellUnmodelled
  /\ ring \in [Contexts -> [0..RingSize-1 -> Descs]]
  /\ Kept("OutstandingInSlots") => Conjunct("OutstandingInSlots")
  /\ Kept("OutstandingOwned") => Conjunct("OutstandingOwned")
  /\ engine \in [Contexts -> [desc : Descs, moved : 0..MaxLen]]
  /\ IndInv

\* One step from every IndInv state.
IndSpec == IndInit /\ [][Next]_vars

\* The initial-condition check: only the initial states.
InitSpec == Init /\ [][FALSE]_vars

\* Stop after one step (TLCGet("level") is 0 in initial states on this TLC).
OneStep == TLCGet("level") < 1
=============================================================================
