# Prints each failed test of a TRX file with the start of its message and stack trace, so that the end of a
# long CI log says why a test failed, not only which one.
function unescape(s) {
    gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "'", s); gsub(/&#xD;/, "", s); gsub(/&amp;/, "\\&", s)
    return s
}
/<UnitTestResult / {
    failed = ($0 ~ /outcome="Failed"/)
    if (failed && match($0, /testName="[^"]*"/)) {
        print "    " unescape(substr($0, RSTART + 10, RLENGTH - 11))
    }
    section = ""
}
failed && /<Message>/ { section = "message"; shown = 0; sub(/.*<Message>/, "") }
failed && /<StackTrace>/ { section = "stack"; shown = 0; sub(/.*<StackTrace>/, "") }
section != "" {
    ends = ($0 ~ /<\/(Message|StackTrace)>/)
    sub(/<\/(Message|StackTrace)>.*/, "")
    limit = (section == "message") ? 15 : 8
    if (shown < limit && $0 != "") { print "        " unescape($0); shown++ }
    if (ends) { section = "" }
}
/<\/UnitTestResult>/ { failed = 0; section = "" }
