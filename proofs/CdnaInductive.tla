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

IndInv ==
  /\ CountPins /\ BitsOk
  /\ \A c \in Contexts : CallOk(c)
  /\ \A c \in Contexts :
       /\ Window(c)
       /\ SlotsTagged(c)
       /\ OutstandingInSlots(c)
       /\ OutstandingOwned(c)
       /\ EngineOnExpected(c)
  /\ DoorbellUnmodelled

\* A weakened candidate, for the test that shows the step check can fail.
\* Without SlotsTagged a stale slot may carry the tag the NIC expects next, so
\* the NIC fetches a descriptor nobody validated: the candidate still implies
\* InterGuestIsolation in every state it admits, but it is not inductive.
IndInvWithoutSlotTags ==
  /\ CountPins /\ BitsOk
  /\ \A c \in Contexts : CallOk(c)
  /\ \A c \in Contexts :
       /\ Window(c)
       /\ OutstandingInSlots(c)
       /\ OutstandingOwned(c)
       /\ EngineOnExpected(c)
  /\ DoorbellUnmodelled

\* Every type-correct state satisfying IndInv.  Conjuncts are ordered so TLC
\* prunes early: each filter follows the variables it reads.  The filters are
\* conjuncts shared by IndInv and the weakened candidate, so overriding IndInv
\* (IndInv <- IndInvWithoutSlotTags in a cfg) really starts from more states.
IndInit ==
  /\ owner \in [Pages -> Owners]
  /\ ctxOwner \in [Contexts -> Guests]
  /\ prod \in [Contexts -> 0..SeqMod-1]
  /\ reaped \in [Contexts -> 0..SeqMod-1]
  /\ nicNext \in [Contexts -> 0..SeqMod-1]
  /\ \A c \in Contexts : Window(c)
  /\ call \in [Contexts -> Buffers \cup {NoCall}]
  /\ \A c \in Contexts : CallOk(c)
  /\ pinBit = [p \in Pages |-> FALSE]
  /\ doorbell \in [Contexts -> 0..SeqMod-1]
  /\ DoorbellUnmodelled
  /\ ring \in [Contexts -> [0..RingSize-1 -> Descs]]
  /\ \A c \in Contexts : OutstandingInSlots(c) /\ OutstandingOwned(c)
  /\ engine \in [Contexts -> [desc : Descs, moved : 0..MaxLen]]
  /\ IndInv

\* One step from every IndInv state.
IndSpec == IndInit /\ [][Next]_vars

\* The initial-condition check: only the initial states.
InitSpec == Init /\ [][FALSE]_vars

\* Stop after one step (TLCGet("level") is 0 in initial states on this TLC).
OneStep == TLCGet("level") < 1
=============================================================================
