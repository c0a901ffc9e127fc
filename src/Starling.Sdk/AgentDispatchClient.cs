using Google.Protobuf;
using Starling.Proto;
using Starling.Protocol.Auth;
using Starling.Sdk.Internal;

namespace Starling.Sdk;

/// <summary>
/// Client for the <c>livekit.AgentDispatchService</c> server API: explicitly dispatch agents to rooms. Every call
/// needs the <c>roomAdmin</c> grant for the room, which the client signs itself.
/// </summary>
public sealed class AgentDispatchClient
{
    private const string Service = "AgentDispatchService";
    private readonly TwirpClient _twirp;

    /// <summary>Creates a client.</summary>
    /// <param name="url">The server URL (<c>http(s)://</c> or <c>ws(s)://</c>); defaults to <c>LIVEKIT_URL</c>.</param>
    /// <param name="apiKey">The API key; defaults to <c>LIVEKIT_API_KEY</c>.</param>
    /// <param name="apiSecret">The API secret; defaults to <c>LIVEKIT_API_SECRET</c>.</param>
    /// <param name="httpClient">The HTTP client to send with; a shared one when null. It is not disposed.</param>
    /// <exception cref="ArgumentException">The URL, key or secret is missing or the URL is invalid.</exception>
    public AgentDispatchClient(string? url = null, string? apiKey = null, string? apiSecret = null, HttpClient? httpClient = null)
        : this(new TwirpClient(url, apiKey, apiSecret, httpClient))
    {
    }

    internal AgentDispatchClient(TwirpClient twirp)
    {
        _twirp = twirp;
    }

    /// <summary>The HTTP(S) base URL the client calls.</summary>
    public string Url => _twirp.BaseUrl;

    /// <summary>Dispatches an agent to a room (the server may create the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<AgentDispatch> CreateDispatchAsync(CreateAgentDispatchRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("CreateDispatch", NotNull(request).Room, request, AgentDispatch.Parser, cancellationToken);

    /// <summary>Dispatches the agent <paramref name="agentName"/> to <paramref name="room"/>.</summary>
    /// <param name="room">The room.</param>
    /// <param name="agentName">The agent name the workers registered with.</param>
    /// <param name="metadata">Job metadata passed to the agent.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<AgentDispatch> CreateDispatchAsync(string room, string agentName, string? metadata = null, CancellationToken cancellationToken = default) =>
        CreateDispatchAsync(new CreateAgentDispatchRequest { Room = room, AgentName = agentName, Metadata = metadata ?? string.Empty }, cancellationToken);

    /// <summary>Deletes a dispatch; its jobs end (workers get a termination and the agents leave the room).</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<AgentDispatch> DeleteDispatchAsync(DeleteAgentDispatchRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("DeleteDispatch", NotNull(request).Room, request, AgentDispatch.Parser, cancellationToken);

    /// <summary>Deletes the dispatch <paramref name="dispatchId"/> of <paramref name="room"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<AgentDispatch> DeleteDispatchAsync(string dispatchId, string room, CancellationToken cancellationToken = default) =>
        DeleteDispatchAsync(new DeleteAgentDispatchRequest { DispatchId = dispatchId, Room = room }, cancellationToken);

    /// <summary>Lists the dispatches of a room, or one of them when <see cref="ListAgentDispatchRequest.DispatchId"/> is set.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public Task<ListAgentDispatchResponse> ListDispatchAsync(ListAgentDispatchRequest request, CancellationToken cancellationToken = default) =>
        CallAsync("ListDispatch", NotNull(request).Room, request, ListAgentDispatchResponse.Parser, cancellationToken);

    /// <summary>Lists the dispatches of <paramref name="room"/>.</summary>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public async Task<IReadOnlyList<AgentDispatch>> ListDispatchAsync(string room, CancellationToken cancellationToken = default)
    {
        var response = await ListDispatchAsync(new ListAgentDispatchRequest { Room = room }, cancellationToken).ConfigureAwait(false);
        return response.AgentDispatches;
    }

    /// <summary>Gets the dispatch <paramref name="dispatchId"/> of <paramref name="room"/>.</summary>
    /// <returns>The dispatch, or null when the room has no such dispatch.</returns>
    /// <exception cref="TwirpException">The server rejected the call.</exception>
    public async Task<AgentDispatch?> GetDispatchAsync(string dispatchId, string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dispatchId);
        var response = await ListDispatchAsync(new ListAgentDispatchRequest { DispatchId = dispatchId, Room = room }, cancellationToken).ConfigureAwait(false);
        return response.AgentDispatches.FirstOrDefault(d => d.Id == dispatchId) ?? response.AgentDispatches.FirstOrDefault();
    }

    private static T NotNull<T>(T? request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }

    private Task<TResponse> CallAsync<TResponse>(string method, string room, IMessage request, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        _twirp.CallAsync(Service, method, request, parser, new VideoGrant { RoomAdmin = true, Room = room }, cancellationToken);
}
