using Google.Protobuf;
using Google.Protobuf.Reflection;
using Starling.Protocol.Auth;

namespace Starling.Server.Twirp;

/// <summary>One routable method: how to parse its request and what to do with it.</summary>
internal sealed record TwirpMethod(MessageDescriptor Descriptor, MessageParser Parser, Func<TokenClaims, IMessage, CancellationToken, ValueTask<IMessage>> Invoke);
