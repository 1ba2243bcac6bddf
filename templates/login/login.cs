<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<?cs if:Brand.Subtitle ?><p class="brand-subtitle"><?cs var:Brand.Subtitle ?></p><?cs /if ?>
<p class="client"><?cs var:Msg.signInTo.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.signInTo.1 ?></p>
<?cs if:Login.Message ?><p class="message" role="alert" id="message"><?cs var:Login.Message ?></p><?cs /if ?>
<form method="post" action="<?cs var:Login.Action ?>" id="login">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<label for="username"><?cs var:Msg.usernameOrEmail ?></label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus value="<?cs var:Login.Username ?>">
<label for="password"><?cs var:Msg.password ?></label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<?cs if:Brand.RememberMe ?><label class="check"><input id="rememberMe" name="rememberMe" type="checkbox" value="on"> <?cs var:Msg.rememberMe ?></label><?cs /if ?>
<button id="submit" type="submit"><?cs var:Msg.signIn ?></button>
</form>
<?cs if:Login.ForgotAction || Login.RegisterAction ?><p class="links"><?cs if:Login.ForgotAction ?><a id="forgot-password" href="<?cs var:Login.ForgotAction ?>?authreq=<?cs var:url_escape(Login.Request) ?>"><?cs var:Msg.forgotPasswordLink ?></a><?cs /if ?>
<?cs if:Login.RegisterAction ?><a id="create-account" href="<?cs var:Login.RegisterAction ?>?authreq=<?cs var:url_escape(Login.Request) ?>"><?cs var:Msg.createAccountLink ?></a><?cs /if ?></p><?cs /if ?>
<?cs /def ?>
<?cs include!"layout.cs" ?>
