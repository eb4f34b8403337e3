using BenchmarkDotNet.Attributes;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;

namespace Network.Radius.Benchmarks;

/// <summary>
/// A typical hotspot Access-Request (User-Name, User-Password, NAS-IP-Address, NAS-Port-Type, Called/Calling-Station-Id,
/// NAS-Identifier, a WISPr location, Message-Authenticator first: 169 octets) through the codec and the crypto the
/// server runs for every request.
/// <code>
///   dotnet run -c Release --project bench/Radius.Benchmarks -- --filter '*' --job short --inProcess
/// </code>
/// </summary>
[MemoryDiagnoser]
public class AccessRequestBenchmarks
{
    private static readonly byte[] s_secret = "testing123"u8.ToArray();

    private byte[] _wire = [];
    private RadiusPacket _packet = null!;
    private readonly byte[] _buffer = new byte[4096];

    [GlobalSetup]
    public void Setup()
    {
        var request = new RadiusPacket(RadiusCode.AccessRequest, 42, RequestAuthenticator.CreateRandom(), []);
        request.SetString(RadiusAttributes.UserName, "alice@school-17.example.org");
        UserPassword.Set(request, "correct horse battery"u8, s_secret);
        request.SetIPv4Address(RadiusAttributes.NasIpAddress, System.Net.IPAddress.Parse("10.17.0.1"));
        request.SetEnum(RadiusAttributes.NasPortType, "Wireless-802.11");
        request.SetString(RadiusAttributes.CalledStationId, "00-11-22-33-44-55:school-17");
        request.SetString(RadiusAttributes.CallingStationId, "AA-BB-CC-DD-EE-FF");
        request.SetString(RadiusAttributes.NasIdentifier, "hotspot-17");
        request.SetString(RadiusAttributes.WisprLocationName, "School 17, library");
        _wire = PacketSigner.EncodeRequest(request, s_secret);
        _packet = RadiusCodec.Decode(_wire);
    }

    [Benchmark]
    public RadiusPacket Decode() => RadiusCodec.Decode(_wire);

    [Benchmark]
    public int Validate() => RadiusCodec.Validate(_wire);

    [Benchmark]
    public int Encode() => RadiusCodec.Write(_packet, _buffer);

    [Benchmark]
    public MessageAuthenticatorStatus VerifyMessageAuthenticator() => MessageAuthenticator.Verify(_wire, s_secret);

    [Benchmark]
    public bool DecodeVerifyAndUnhide()
    {
        RadiusPacket packet = RadiusCodec.Decode(_wire);
        return MessageAuthenticator.Verify(packet.Raw.Span, s_secret) == MessageAuthenticatorStatus.Valid
            && UserPassword.TryGet(packet, s_secret, out _);
    }

    [Benchmark]
    public int SignAccessAccept()
    {
        var accept = new RadiusPacket(RadiusCode.AccessAccept, _packet.Identifier);
        accept.SetInteger(RadiusAttributes.SessionTimeout, 3600);
        accept.SetInteger(RadiusAttributes.WisprBandwidthMaxDown, 2_000_000);
        return PacketSigner.WriteResponse(accept, _packet.Authenticator.Span, s_secret, _buffer);
    }
}
