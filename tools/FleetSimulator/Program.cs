// The simulated fleet of hotspot access points and school-fibre routers. The SNMP issue gives it devices.
Console.Error.WriteLine("fleet-simulator: no devices yet (the SNMP engine issue adds them)");
return 64;
