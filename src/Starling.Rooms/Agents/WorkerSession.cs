using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Starling.Proto;
using Starling.Protocol.Ids;

namespace Starling.Rooms.Agents;

/// <summary>
/// The protocol of one <c>/agent</c> connection: the worker must send <c>register</c> first and within
/// <see cref="AgentOptions.RegisterTimeout"/>; the server's first message is the register response; afterwards pings get
/// pongs and the other messages go to the <see cref="AgentDispatcher"/>. Garbage, unknown messages, messages out of order
/// and floods close the connection with a log line and a metric; other workers are untouched.
/// </summary>
internal sealed partial class WorkerSession
{
    private readonly object _gate = new();
    private readonly AgentDispatcher _dispatcher;
    private readonly IWorkerConnection _connection;
    private readonly string _apiKey;
    private readonly string _apiSecret;
    private readonly string _remote;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenBucket _flood;
    private ITimer? _registerTimer;
    private AgentWorker? _worker;
    private bool _closed;

    public WorkerSession(AgentDispatcher dispatcher, IWorkerConnection connection, string apiKey, string apiSecret, string remote, ILogger<WorkerSession> logger)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        _dispatcher = dispatcher;
        _connection = connection;
        _apiKey = apiKey;
        _apiSecret = apiSecret;
        _remote = remote;
        _time = dispatcher.Time;
        _logger = logger;
        _flood = new TokenBucket(_time, dispatcher.Options.FloodBurst, dispatcher.Options.FloodRatePerSecond);
    }

    /// <summary>The registered worker, or null before <c>register</c>.</summary>
    public AgentWorker? Worker
    {
        get
        {
            lock (_gate)
            {
                return _worker;
            }
        }
    }

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Arms the register deadline.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _registerTimer = _time.CreateTimer(_ => OnRegisterTimeout(), null, _dispatcher.Options.RegisterTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>One WebSocket frame from the worker.</summary>
    public void HandleFrame(ReadOnlySpan<byte> frame, bool text)
    {
        if (IsClosed)
        {
            return;
        }

        if (!_flood.TryTake())
        {
            Close(WorkerCloseReason.Flood, $"more than {_dispatcher.Options.FloodRatePerSecond} messages per second");
            return;
        }

        if (text)
        {
            Close(WorkerCloseReason.Garbage, "text frame (the worker protocol is binary protobuf)");
            return;
        }

        WorkerMessage message;
        try
        {
            message = WorkerMessage.Parser.ParseFrom(frame);
        }
        catch (InvalidProtocolBufferException ex)
        {
            Close(WorkerCloseReason.Garbage, "not a WorkerMessage: " + ex.Message);
            return;
        }

        Handle(message);
    }

    /// <summary>A decoded message (the edge and tests call this).</summary>
    public void Handle(WorkerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        AgentWorker? worker;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            worker = _worker;
        }

        if (message.MessageCase == WorkerMessage.MessageOneofCase.None)
        {
            Close(WorkerCloseReason.UnknownMessage, "a WorkerMessage with no known message");
            return;
        }

        if (worker is null)
        {
            switch (message.MessageCase)
            {
                case WorkerMessage.MessageOneofCase.Register:
                    Register(message.Register);
                    break;
                case WorkerMessage.MessageOneofCase.Ping:
                    // The register response must be the first server message (agents-js rejects anything else).
                    break;
                default:
                    Close(WorkerCloseReason.Protocol, $"{message.MessageCase} before register");
                    break;
            }

            return;
        }

        switch (message.MessageCase)
        {
            case WorkerMessage.MessageOneofCase.Register:
                Close(WorkerCloseReason.Protocol, "a second register");
                break;
            case WorkerMessage.MessageOneofCase.Availability:
                _dispatcher.OnAvailability(worker, message.Availability);
                break;
            case WorkerMessage.MessageOneofCase.UpdateWorker:
                _dispatcher.OnUpdateWorker(worker, message.UpdateWorker);
                break;
            case WorkerMessage.MessageOneofCase.UpdateJob:
                _dispatcher.OnUpdateJob(worker, message.UpdateJob);
                break;
            case WorkerMessage.MessageOneofCase.Ping:
                _connection.Send(new ServerMessage
                {
                    Pong = new WorkerPong { LastTimestamp = message.Ping.Timestamp, Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds() },
                });
                break;
            case WorkerMessage.MessageOneofCase.SimulateJob:
                LogUnsupported(_logger, worker.Id, "simulate_job");
                break;
            case WorkerMessage.MessageOneofCase.MigrateJob:
                // livekit-server (OSS) ignores it too.
                LogUnsupported(_logger, worker.Id, "migrate_job");
                break;
        }
    }

    private void Register(RegisterWorkerRequest request)
    {
        if (!Enum.IsDefined(request.Type))
        {
            Close(WorkerCloseReason.Protocol, $"unknown job type {(int)request.Type}");
            return;
        }

        if (DeploymentError(request.Deployment) is { } error)
        {
            Close(WorkerCloseReason.Protocol, "invalid deployment: " + error);
            return;
        }

        if (request.AgentName.Length > Limits.MaxNameLength)
        {
            Close(WorkerCloseReason.Protocol, $"agent name longer than {Limits.MaxNameLength} characters");
            return;
        }

        var id = SidGenerator.New(SidGenerator.AgentWorker);
        lock (_gate)
        {
            if (_closed || _worker is not null)
            {
                return;
            }

            _registerTimer?.Dispose();
            _registerTimer = null;
            var options = _dispatcher.Options;
            _connection.Send(new ServerMessage
            {
                Register = new RegisterWorkerResponse
                {
                    WorkerId = id,
                    ServerInfo = new ServerInfo
                    {
                        Edition = ServerInfo.Types.Edition.Standard,
                        Version = options.ServerVersion,
                        Protocol = 17,
                        AgentProtocol = 1,
                        NodeId = options.NodeId,
                    },
                },
            });
        }

        // After the response is queued: the dispatcher may offer waiting jobs right away.
        var worker = _dispatcher.Add(request, _apiKey, _apiSecret, _connection, id);
        bool closedMeanwhile;
        lock (_gate)
        {
            _worker = worker;
            closedMeanwhile = _closed;
        }

        if (closedMeanwhile)
        {
            _dispatcher.Remove(worker);
            return;
        }

        LogRegistered(_logger, id, worker.AgentName, ProtoNames.Of(worker.JobType), worker.Version, worker.Namespace, worker.Deployment, _remote);
    }

    /// <summary>livekit/protocol's ValidateDeployment: at most 64 bytes, no '_', no whitespace or control bytes.</summary>
    internal static string? DeploymentError(string deployment)
    {
        if (deployment.Length == 0)
        {
            return null;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(deployment) > 64)
        {
            return "longer than 64 bytes";
        }

        foreach (var c in deployment)
        {
            if (c == '_')
            {
                return "contains the reserved character '_'";
            }

            if (c <= ' ' || c == '\x7f')
            {
                return "contains whitespace or a control character";
            }
        }

        return null;
    }

    private void OnRegisterTimeout()
    {
        lock (_gate)
        {
            if (_worker is not null)
            {
                return;
            }
        }

        Close(WorkerCloseReason.RegisterTimeout, $"no register within {_dispatcher.Options.RegisterTimeout.TotalSeconds:0.#} s");
    }

    /// <summary>The server ends the connection: counted, logged, the socket closed, the worker unregistered.</summary>
    public void Close(WorkerCloseReason reason, string detail)
    {
        AgentWorker? worker;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            worker = _worker;
            _registerTimer?.Dispose();
            _registerTimer = null;
        }

        _dispatcher.Metrics.CountClose(reason);
        LogClosed(_logger, worker?.Id ?? "unregistered worker", _remote, ReasonLabel(reason), detail);
        _connection.Close(reason, detail);
        if (worker is not null)
        {
            _dispatcher.Remove(worker);
        }
    }

    /// <summary>The socket ended (the worker closed it or went away): a clean unregister.</summary>
    public void OnDisconnected()
    {
        AgentWorker? worker;
        bool wasClosed;
        lock (_gate)
        {
            wasClosed = _closed;
            _closed = true;
            worker = _worker;
            _registerTimer?.Dispose();
            _registerTimer = null;
        }

        if (worker is not null && !wasClosed)
        {
            LogUnregistered(_logger, worker.Id, worker.AgentName);
            _dispatcher.Remove(worker);
        }
    }

    /// <summary>The <c>reason</c> label of <c>starling_agent_worker_closes_total</c>.</summary>
    public static string ReasonLabel(WorkerCloseReason reason) => reason switch
    {
        WorkerCloseReason.Garbage => "garbage",
        WorkerCloseReason.UnknownMessage => "unknown_message",
        WorkerCloseReason.RegisterTimeout => "register_timeout",
        WorkerCloseReason.Flood => "flood",
        WorkerCloseReason.Protocol => "protocol",
        WorkerCloseReason.Oversized => "oversized",
        WorkerCloseReason.Shutdown => "shutdown",
        _ => "other",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "agent worker registered: worker={WorkerId} agent_name={AgentName} type={JobType} version={Version} namespace={Namespace} deployment={Deployment} remote={Remote}")]
    private static partial void LogRegistered(ILogger logger, string workerId, string agentName, string jobType, string version, string @namespace, string deployment, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent worker unregistered: worker={WorkerId} agent_name={AgentName}")]
    private static partial void LogUnregistered(ILogger logger, string workerId, string agentName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent worker closed: worker={WorkerId} remote={Remote} reason={Reason} detail={Detail}")]
    private static partial void LogClosed(ILogger logger, string workerId, string remote, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "agent worker {WorkerId}: {Message} is not supported; ignored")]
    private static partial void LogUnsupported(ILogger logger, string workerId, string message);
}
