import Foundation
import VisCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blocking HTTP calls to an MLflow tracking server through `URLSession`, made only on the uploader's thread.
final class _MLflowHTTP: @unchecked Sendable {
    /// What a request came to.
    enum Outcome {
        /// 2xx, with the body.
        case success(Data)
        /// Worth trying again later: no connection, a timeout, 5xx or 429.
        case retryable(String)
        /// The server refused the request itself (4xx other than 429): sending it again cannot help.
        case rejected(status: Int, errorCode: String, message: String)
    }

    let baseURL: URL
    private let authorization: String?
    private let session: URLSession

    /// - Parameters:
    ///   - baseURL: The tracking URI (`http://127.0.0.1:5000`, possibly with a path prefix).
    ///   - environment: Supplies `MLFLOW_TRACKING_TOKEN` (a bearer token) or `MLFLOW_TRACKING_USERNAME` and
    ///     `MLFLOW_TRACKING_PASSWORD` (basic auth), as MLflow's client reads them.
    ///   - timeout: Seconds one request may take.
    init(baseURL: URL, environment: [String: String], timeout: Double) {
        self.baseURL = baseURL
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty {
            authorization = "Bearer \(token)"
        } else if let user = environment["MLFLOW_TRACKING_USERNAME"], let password = environment["MLFLOW_TRACKING_PASSWORD"] {
            authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// A JSON call under `api/2.0/mlflow/`.
    func call(_ method: String, _ endpoint: String, query: [(String, String)] = [], json: [UInt8]? = nil) -> Outcome {
        send(method, path: "api/2.0/mlflow/" + endpoint, query: query, body: json.map { Data($0) },
            contentType: json == nil ? nil : "application/json")
    }

    /// Uploads an artifact through the server's artifact proxy (`api/2.0/mlflow-artifacts/artifacts/...`).
    ///
    /// - Parameter location: The run's artifact URI without its `mlflow-artifacts:` scheme (`1/<run>/artifacts`).
    func putArtifact(location: String, path: String, body: Data, contentType: String) -> Outcome {
        let trimmed = location.split(separator: "/").joined(separator: "/")
        return send("PUT", path: "api/2.0/mlflow-artifacts/artifacts/" + trimmed + "/" + path, query: [], body: body,
            contentType: contentType)
    }

    private func send(_ method: String, path: String, query: [(String, String)], body: Data?, contentType: String?)
        -> Outcome
    {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)
        let prefix = components?.path ?? ""
        let encodedPath = path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).addingPercentEncoding(withAllowedCharacters: _MLflowHTTP.pathCharacters) ?? String($0)
        }.joined(separator: "/")
        components?.percentEncodedPath = (prefix.hasSuffix("/") ? prefix : prefix + "/") + encodedPath
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.url else {
            return .rejected(status: 0, errorCode: "BAD_URL", message: "cannot build a URL from \(baseURL) and \(path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let result = _MLflowHTTPResult()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            result.set(data: data, response: response as? HTTPURLResponse, error: error)
            done.signal()
        }
        task.resume()
        done.wait()
        let (data, response, error) = result.get()
        if let error { return .retryable("\(method) \(url.absoluteString): \(error.localizedDescription)") }
        guard let response else { return .retryable("\(method) \(url.absoluteString): no HTTP response") }
        let payload = data ?? Data()
        switch response.statusCode {
        case 200..<300:
            return .success(payload)
        case 429, 500...:
            return .retryable("\(method) \(url.absoluteString): HTTP \(response.statusCode)")
        default:
            let object = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any]
            let message = object?["message"] as? String ?? String(decoding: payload.prefix(500), as: UTF8.self)
            return .rejected(
                status: response.statusCode, errorCode: object?["error_code"] as? String ?? "HTTP_\(response.statusCode)",
                message: message)
        }
    }

    private static let pathCharacters: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove(charactersIn: "/?#")
        return set
    }()
}

/// The result slot a completion handler fills for the waiting uploader thread.
private final class _MLflowHTTPResult: Sendable {
    private let slot = LockedValue<(data: Data?, response: HTTPURLResponse?, error: (any Error)?)>((nil, nil, nil))

    func set(data: Data?, response: HTTPURLResponse?, error: (any Error)?) {
        slot.withLock { $0 = (data, response, error) }
    }

    func get() -> (Data?, HTTPURLResponse?, (any Error)?) {
        slot.withLock { ($0.data, $0.response, $0.error) }
    }
}
