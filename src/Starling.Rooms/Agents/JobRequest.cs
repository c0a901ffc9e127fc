using Starling.Proto;

namespace Starling.Rooms.Agents;

/// <summary>
/// What a room asks the dispatcher for: a job of <paramref name="Type"/> for one of its dispatches, with the room as
/// it is now and, for publisher and participant jobs, the participant the job is about.
/// </summary>
internal sealed record JobRequest(Proto.Room Room, AgentDispatch Dispatch, JobType Type, ParticipantInfo? Participant);
