/**
 * The Team page's plain statement of what Bullpen records about each person, who sees it and for
 * how long. Trust, not surveillance: it must stay true to what the server stores (update it with
 * any new record).
 */
export function RecordsSection() {
  return (
    <div className="panel" aria-labelledby="records-title" data-testid="records-section">
      <h2 id="records-title">What Bullpen records about you</h2>
      <ul className="records-list">
        <li>
          <strong>Your account:</strong> name, email, role and who mentors whom, seen by your team; your password only as a one-way hash.
          Kept while you are on the team.
        </li>
        <li>
          <strong>Sign-ins:</strong> each signed-in device’s description, when it signed in and when it was last used. You see and end
          them in Account; a session ends after 30 days unused and 90 days at most (unless your server is set otherwise).
        </li>
        <li>
          <strong>Calls you share:</strong> title, account, start and end, who could listen and whether you confirmed recording consent.
          Teammates allowed to listen see the call on the board while it is live.
        </li>
        <li>
          <strong>Listening:</strong> which calls you listened to and when you joined and left. The host sees who is listening and, after
          the call, for how long. In Metrics it only appears as weekly totals: your own row for you, the team’s for managers and
          admins. The audit log (admins only) notes when you started and stopped listening to each call, as it notes sign-ins.
        </li>
        <li>
          <strong>Recordings and clips:</strong> only recorded with the host’s consent; full recordings are deleted after the period under
          Recordings, clips stay until someone deletes them.
        </li>
        <li>
          <strong>Clips, comments, questions, talk tracks:</strong> with your name, as their visibility allows (an anonymous question
          hides your name from the host), until deleted.
        </li>
        <li>
          <strong>Scorecards:</strong> rate the host of a clip’s call; only that person, managers and admins see them.
        </li>
        <li>
          <strong>Onboarding:</strong> the steps of paths assigned to you: which parts of a clip step you played, when you opened and
          acknowledged a talk track, tasks you ticked. You and managers see your progress.
        </li>
        <li>
          <strong>Audit log:</strong> sign-ins and failed sign-ins, role changes, invites, deactivations, password resets, listens, and
          downloads of clips and recordings, with who and when. Only admins read it; rows are deleted after the period the admin sets
          (365 days unless changed).
        </li>
        <li>
          <strong>Weekly metrics:</strong> added up on request from the records above, not stored on their own. Calls, listens and
          questions are kept as long as your team uses Bullpen.
        </li>
      </ul>
    </div>
  );
}
