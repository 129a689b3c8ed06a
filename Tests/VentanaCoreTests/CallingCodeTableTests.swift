import Testing
@testable import VentanaCore

/// Every non-US NANP area code in the table, with the country it belongs to.
let nanpAreaCodes: [(String, String)] = [
    ("204", "CA"),
    ("226", "CA"),
    ("236", "CA"),
    ("242", "BS"),
    ("246", "BB"),
    ("249", "CA"),
    ("250", "CA"),
    ("257", "CA"),
    ("263", "CA"),
    ("264", "AI"),
    ("268", "AG"),
    ("284", "VG"),
    ("289", "CA"),
    ("306", "CA"),
    ("340", "VI"),
    ("343", "CA"),
    ("345", "KY"),
    ("354", "CA"),
    ("365", "CA"),
    ("367", "CA"),
    ("368", "CA"),
    ("382", "CA"),
    ("387", "CA"),
    ("403", "CA"),
    ("416", "CA"),
    ("418", "CA"),
    ("428", "CA"),
    ("431", "CA"),
    ("437", "CA"),
    ("438", "CA"),
    ("441", "BM"),
    ("450", "CA"),
    ("460", "CA"),
    ("468", "CA"),
    ("473", "GD"),
    ("474", "CA"),
    ("506", "CA"),
    ("514", "CA"),
    ("519", "CA"),
    ("548", "CA"),
    ("579", "CA"),
    ("581", "CA"),
    ("584", "CA"),
    ("587", "CA"),
    ("600", "CA"),
    ("604", "CA"),
    ("613", "CA"),
    ("639", "CA"),
    ("647", "CA"),
    ("649", "TC"),
    ("658", "JM"),
    ("664", "MS"),
    ("670", "MP"),
    ("671", "GU"),
    ("672", "CA"),
    ("683", "CA"),
    ("684", "AS"),
    ("705", "CA"),
    ("709", "CA"),
    ("721", "SX"),
    ("742", "CA"),
    ("753", "CA"),
    ("758", "LC"),
    ("767", "DM"),
    ("778", "CA"),
    ("780", "CA"),
    ("782", "CA"),
    ("784", "VC"),
    ("787", "PR"),
    ("807", "CA"),
    ("809", "DO"),
    ("819", "CA"),
    ("825", "CA"),
    ("829", "DO"),
    ("849", "DO"),
    ("867", "CA"),
    ("868", "TT"),
    ("869", "KN"),
    ("873", "CA"),
    ("876", "JM"),
    ("879", "CA"),
    ("902", "CA"),
    ("905", "CA"),
    ("939", "PR"),
    ("942", "CA"),
]

@Suite("CallingCodeTable consistency")
struct CallingCodeTableTests {
    @Test("Every prefix maps to a named country")
    func everyPrefixHasACountryName() {
        for (prefix, code) in CallingCodeTable.prefixes {
            #expect(CallingCodeTable.countryNames[code] != nil, "prefix \(prefix) → \(code) has no name")
        }
    }

    @Test("Every named country is used by some prefix")
    func everyCountryNameIsUsed() {
        let used = Set(CallingCodeTable.prefixes.values)
        for code in CallingCodeTable.countryNames.keys {
            #expect(used.contains(code), "\(code) is named but no prefix maps to it")
        }
    }

    @Test("Country codes are two uppercase ASCII letters and names are non-empty")
    func countryCodesAreAlpha2() {
        for (code, name) in CallingCodeTable.countryNames {
            #expect(code.count == 2 && code.allSatisfy { $0.isASCII && $0.isUppercase }, "bad code \(code)")
            #expect(!name.isEmpty, "\(code) has an empty name")
        }
    }

    @Test("Every prefix is 1–7 ASCII digits not starting with 0")
    func prefixesAreWellFormed() {
        for prefix in CallingCodeTable.prefixes.keys {
            #expect((1...7).contains(prefix.count), "prefix \(prefix) has bad length")
            #expect(prefix.allSatisfy { $0.isASCII && $0.isNumber }, "prefix \(prefix) is not all digits")
            #expect(!prefix.hasPrefix("0"), "prefix \(prefix) starts with 0")
        }
    }

    @Test("+1 defaults to the United States")
    func nanpDefaultsToUS() {
        #expect(CallingCodeTable.prefixes["1"] == "US")
    }

    @Test("Non-geographic codes map to no country", arguments: ["800", "808", "870", "878", "881", "882", "883", "888", "979"])
    func nonGeographicCodesAreAbsent(code: String) {
        #expect(CallingCodeTable.prefixes[code] == nil)
    }

    @Test("NANP area code maps to its country", arguments: nanpAreaCodes)
    func nanpAreaCode(areaCode: String, iso: String) {
        #expect(CallingCodeTable.prefixes["1" + areaCode] == iso)
    }
}
