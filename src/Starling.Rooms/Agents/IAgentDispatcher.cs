using Starling.Proto;

namespace Starling.Rooms.Agents;

/// <summary>
/// The node's agent dispatcher as rooms see it. Rooms call it after releasing their own lock; it never calls back into a
/// room while holding its own.
/// </summary>
internal interface IAgentDispatcher
{
    /// <summary>Creates the job(s) for a request and starts assigning them (or leaves them waiting for a worker).</summary>
    void Launch(JobRequest request);

    /// <summary>
    /// A participant left a room: an agent's job ends (SUCCESS when it left on its own, FAILED otherwise), unless the agent
    /// joined before the job's current assignment (a leftover of a worker that failed, the job runs elsewhere now); jobs
    /// still waiting for a worker on behalf of a participant that left are dropped.
    /// </summary>
    void OnParticipantLeft(string roomSid, string identity, bool isAgent, long joinedAtMs, DisconnectReason reason);

    /// <summary>A dispatch was deleted: its jobs end; returns the identities of its agents, which should leave the room.</summary>
    IReadOnlyList<string> EndDispatch(string roomSid, string dispatchId);

    /// <summary>A room closed: every job of it ends (workers get <c>termination</c>) and is forgotten.</summary>
    void EndRoom(string roomSid);

    /// <summary>The jobs of a dispatch, oldest first, as they are now.</summary>
    IReadOnlyList<Job> JobsOf(string roomSid, string dispatchId);
}
