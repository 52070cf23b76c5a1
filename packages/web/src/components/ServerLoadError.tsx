import { Link } from "react-router";
import { ApiError } from "../api";

/** A server page whose server could not be read: gone (404, also another tenant's) or an error. */
export function ServerLoadError({ error }: { error: Error }) {
  const gone = error instanceof ApiError && error.status === 404;
  return (
    <section>
      <h1>{gone ? "Server not found" : "Server"}</h1>
      <p role="alert" className="error">
        {gone ? "This server does not exist, or it has been deleted." : error.message}
      </p>
      <p>
        <Link to="/servers">Back to your servers</Link>
      </p>
    </section>
  );
}
