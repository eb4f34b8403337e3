using Network.Snmp.Security;

namespace Network.Snmp.Tests.Security;

public class UsmKeyCacheTests
{
    private static readonly byte[] s_engineA = Convert.FromHexString("80001f8880e9630000d61ff449");
    private static readonly byte[] s_engineB = Convert.FromHexString("000000000000000000000002");

    private static readonly UsmUser s_user = UsmUser.AuthPriv("ops", AuthProtocol.HmacSha256, "authpass256", PrivProtocol.Aes256, "privpass256");

    [Fact]
    public void Keys_are_those_of_a_fresh_derivation_and_the_same_instance_on_every_later_call()
    {
        var cache = new UsmKeyCache();

        LocalizedKeys first = cache.Get(s_user, s_engineA);
        LocalizedKeys again = cache.Get(s_user, s_engineA.AsSpan());
        LocalizedKeys other = cache.Get(s_user, s_engineB);
        LocalizedKeys expected = UsmKeys.Derive(AuthProtocol.HmacSha256, "authpass256", PrivProtocol.Aes256, "privpass256", s_engineA);

        Assert.Same(first, again);
        Assert.Equal(expected.AuthKey, first.AuthKey);
        Assert.Equal(expected.PrivKey, first.PrivKey);
        Assert.NotEqual(first.AuthKey, other.AuthKey);
        Assert.Equal(UsmKeys.Derive(AuthProtocol.HmacSha256, "authpass256", PrivProtocol.Aes256, "privpass256", s_engineB).PrivKey, other.PrivKey);
    }

    [Fact]
    public void The_master_key_is_derived_once_per_protocol_and_pass_phrase()
    {
        var cache = new UsmKeyCache();

        byte[] first = cache.MasterKey(AuthProtocol.HmacSha1, "maplesyrup");
        byte[] second = cache.MasterKey(AuthProtocol.HmacSha1, "maplesyrup");
        byte[] md5 = cache.MasterKey(AuthProtocol.HmacMd5, "maplesyrup");

        Assert.Same(first, second);
        Assert.Equal(Convert.FromHexString("9fb5cc0381497b3793528939ff788d5d79145211"), first); // RFC 3414 A.3.2
        Assert.Equal(Convert.FromHexString("9faf3283884e92834ebc9847d8edd963"), md5); // RFC 3414 A.3.1
    }

    [Fact]
    public void Users_that_differ_only_in_a_pass_phrase_get_different_keys()
    {
        var cache = new UsmKeyCache();
        UsmUser other = UsmUser.AuthPriv("ops", AuthProtocol.HmacSha256, "authpass256", PrivProtocol.Aes256, "privpass999");

        Assert.Equal(cache.Get(s_user, s_engineA).AuthKey, cache.Get(other, s_engineA).AuthKey);
        Assert.NotEqual(cache.Get(s_user, s_engineA).PrivKey, cache.Get(other, s_engineA).PrivKey);
    }

    [Fact]
    public void Many_threads_asking_at_once_get_one_instance()
    {
        var cache = new UsmKeyCache();
        var seen = new System.Collections.Concurrent.ConcurrentBag<LocalizedKeys>();

        Parallel.For(0, 64, i => seen.Add(cache.Get(s_user, i % 2 == 0 ? s_engineA : s_engineB)));

        Assert.Equal(2, seen.Distinct().Count());
    }

    [Fact]
    public void A_full_cache_empties_and_still_gives_correct_keys()
    {
        var cache = new UsmKeyCache(capacity: 2);
        var expected = new Dictionary<int, byte[]>();

        for (int i = 0; i < 7; i++)
        {
            byte[] engine = [0x80, 0, 0, 0, (byte)i];
            expected[i] = cache.Get(s_user, engine).AuthKey;
        }

        for (int i = 0; i < 7; i++)
        {
            byte[] engine = [0x80, 0, 0, 0, (byte)i];
            Assert.Equal(expected[i], cache.Get(s_user, engine).AuthKey);
            Assert.Equal(UsmKeys.Localize(AuthProtocol.HmacSha256, cache.MasterKey(AuthProtocol.HmacSha256, "authpass256"), engine), expected[i]);
        }
    }

    [Fact]
    public void A_user_without_authentication_has_empty_keys_and_a_short_pass_phrase_is_refused()
    {
        var cache = new UsmKeyCache();

        LocalizedKeys none = cache.Get(UsmUser.NoAuthNoPriv("public"), s_engineA);

        Assert.Empty(none.AuthKey);
        Assert.Empty(none.PrivKey);
        Assert.Throws<ArgumentException>(() => cache.Get(UsmUser.AuthNoPriv("weak", AuthProtocol.HmacSha1, "short"), s_engineA));
    }
}
