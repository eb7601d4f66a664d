import Testing
@testable import Redaction

@Suite("Redaction: the one place that masks secrets")
struct RedactionTests {
    @Test func masksEverySecretLongestFirstAndLeavesOtherTextAlone() {
        let set = SecretSet(["abcd-secret", "abcd-secret-longer", "zzzz"])
        #expect(set.masking("x abcd-secret-longer y abcd-secret zzzzz", with: "***") == "x *** y *** ***z")
        #expect(set.masking("nothing here", with: "***") == "nothing here")
        #expect(set.masking("", with: "***") == "")
        #expect(SecretSet().masking("abcd-secret", with: "***") == "abcd-secret")
        #expect(set.occurs(in: "--zzzz--"))
        #expect(!set.occurs(in: "zzz"))
    }

    @Test func masksInsideMultibyteTextWithoutBreakingIt() {
        let set = SecretSet(["tøkén-✓-42"])
        let masked = set.masking("é tøkén-✓-42é 🛠️", with: "***")
        #expect(masked == "é ***é 🛠️")
        #expect(set.count == 1)
        #expect(set.longestByteCount == "tøkén-✓-42".utf8.count)
    }

    @Test func encodedFormsOfASecretAreKnownToo() {
        let forms = SecretForms.all(of: "a+b/c=d e\"f")
        #expect(forms.first == "a+b/c=d e\"f")
        #expect(forms.contains("a%2Bb%2Fc%3Dd+e%22f"), "form-encoded, as in a token request body")
        #expect(forms.contains("a%2bb%2fc%3dd+e%22f"), "lower-case hex")
        #expect(forms.contains("a%2Bb%2Fc%3Dd%20e%22f"), "percent-encoded, as in a URL")
        #expect(forms.contains("a+b/c=d e\\\"f"), "inside a JSON string")
        #expect(forms.contains("a+b\\/c=d e\\\"f"), "inside a JSON string with escaped slashes")
        #expect(SecretForms.all(of: "plain-token") == ["plain-token"], "no duplicate forms")
    }

    @Test func registeredSecretsAreMaskedInEveryFormAndTinyOnesIgnored() {
        SecretRedactor.register("redaction-test+secret/1")
        SecretRedactor.register("ab")
        #expect(SecretRedactor.redact("x redaction-test+secret/1 y") == "x *** y")
        #expect(SecretRedactor.redact("body=redaction-test%2Bsecret%2F1&x=1") == "body=***&x=1")
        #expect(SecretRedactor.redact("{\"m\":\"redaction-test+secret\\/1\"}") == "{\"m\":\"***\"}")
        #expect(SecretRedactor.redact("lab about") == "lab about")
        #expect(SecretRedactor.isSensitiveKey("Refresh-Token"))
        #expect(SecretRedactor.isSensitiveKey("http.authorization"))
        #expect(!SecretRedactor.isSensitiveKey("entity"))
    }

    @Test func excerptsMaskBeforeCuttingSoNoPartOfASecretSurvives() {
        SecretRedactor.register("excerpt-secret-0123456789")
        let text = String(repeating: "x", count: 10) + "excerpt-secret-0123456789" + String(repeating: "y", count: 100)
        let excerpt = SecretRedactor.redactedExcerpt(text, limit: 20)
        #expect(excerpt == String(repeating: "x", count: 10) + "***" + "yyyyyy…")
        #expect(excerpt.unicodeScalars.count == 20)
        #expect(!excerpt.contains("excerpt-s"))
    }

    @Test func boundedTextIsOneLineWithoutControlCharactersAndAtMostTheLimit() {
        #expect(BoundedText.make("a\nb\r\tc\u{0}d\u{1B}[31m", limit: 100) == "a b  c\u{FFFD}d\u{FFFD}[31m")
        #expect(BoundedText.make("abcdef", limit: 6) == "abcdef")
        #expect(BoundedText.make("abcdefg", limit: 6) == "abcde…")
        #expect(BoundedText.make("abc", limit: 0) == "…")
        #expect(BoundedText.make("", limit: 5) == "")
    }
}
