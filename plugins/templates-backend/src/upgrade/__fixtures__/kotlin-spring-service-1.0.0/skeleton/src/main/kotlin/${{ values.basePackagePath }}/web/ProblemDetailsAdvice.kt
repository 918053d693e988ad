package ${{ values.basePackage }}.web

import org.slf4j.LoggerFactory
import org.springframework.http.HttpHeaders
import org.springframework.http.HttpStatus
import org.springframework.http.HttpStatusCode
import org.springframework.http.ProblemDetail
import org.springframework.http.ResponseEntity
import org.springframework.http.converter.HttpMessageNotReadableException
import org.springframework.web.bind.MethodArgumentNotValidException
import org.springframework.web.bind.annotation.ExceptionHandler
import org.springframework.web.bind.annotation.RestControllerAdvice
import org.springframework.web.context.request.WebRequest
import org.springframework.web.method.annotation.HandlerMethodValidationException
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler
import tools.jackson.core.JacksonException

/** One offending input, as listed in the `errors` property of a 400 response. */
data class FieldProblem(val field: String, val message: String)

/**
 * Turns every error into an RFC 9457 (formerly 7807) `application/problem+json`
 * body. Validation failures name the offending field in `detail` and list all
 * of them in `errors`.
 */
@RestControllerAdvice
class ProblemDetailsAdvice : ResponseEntityExceptionHandler() {

    private val log = LoggerFactory.getLogger(javaClass)

    override fun handleMethodArgumentNotValid(
        ex: MethodArgumentNotValidException,
        headers: HttpHeaders,
        status: HttpStatusCode,
        request: WebRequest,
    ): ResponseEntity<Any>? {
        val problems = (
            ex.bindingResult.fieldErrors.map { FieldProblem(it.field, it.defaultMessage ?: "is invalid") } +
                ex.bindingResult.globalErrors.map { FieldProblem(it.objectName, it.defaultMessage ?: "is invalid") }
            ).sortedWith(compareBy({ it.field }, { it.message }))
        return handleExceptionInternal(ex, validationProblem(status, problems), headers, status, request)
    }

    override fun handleHandlerMethodValidationException(
        ex: HandlerMethodValidationException,
        headers: HttpHeaders,
        status: HttpStatusCode,
        request: WebRequest,
    ): ResponseEntity<Any>? {
        val problems = ex.parameterValidationResults.flatMap { result ->
            val field = result.methodParameter.parameterName ?: "parameter ${result.methodParameter.parameterIndex}"
            result.resolvableErrors.map { FieldProblem(field, it.defaultMessage ?: "is invalid") }
        }.sortedWith(compareBy({ it.field }, { it.message }))
        return handleExceptionInternal(ex, validationProblem(status, problems), headers, status, request)
    }

    override fun handleHttpMessageNotReadable(
        ex: HttpMessageNotReadableException,
        headers: HttpHeaders,
        status: HttpStatusCode,
        request: WebRequest,
    ): ResponseEntity<Any>? {
        val jsonError = generateSequence(ex.cause) { it.cause }.filterIsInstance<JacksonException>().firstOrNull()
        val field = jsonError?.path
            ?.joinToString(".") { ref -> ref.propertyName ?: "[${ref.index}]" }
            ?.replace(".[", "[")
            ?.takeIf { it.isNotEmpty() }
        val body = if (field != null) {
            validationProblem(status, listOf(FieldProblem(field, "has an invalid value or type")))
        } else {
            ProblemDetail.forStatusAndDetail(status, "Request body is missing or is not valid JSON").apply {
                title = "Invalid request"
            }
        }
        return handleExceptionInternal(ex, body, headers, status, request)
    }

    /** Anything unexpected: log it, but never leak internals to the caller. */
    @ExceptionHandler(Exception::class)
    fun handleUnexpected(ex: Exception): ProblemDetail {
        log.error("Unhandled exception", ex)
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred").apply {
            title = "Internal Server Error"
        }
    }

    private fun validationProblem(status: HttpStatusCode, problems: List<FieldProblem>): ProblemDetail {
        val first = problems.firstOrNull()
        val detail = if (first == null) {
            "Request validation failed"
        } else {
            "Invalid value for '${first.field}': ${first.message}"
        }
        return ProblemDetail.forStatusAndDetail(status, detail).apply {
            title = "Invalid request"
            setProperty("errors", problems)
        }
    }
}
